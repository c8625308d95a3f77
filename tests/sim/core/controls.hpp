#pragma once
// Shared by the /_sim/ control handlers: the account-file shape of one ticket or contact (used
// both to show state and as the base that an edit overlays), and the controls' error shape.
#include "account.hpp"
#include "api.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

namespace sim {

boost::json::object ticket_file_json(const Account& acc, std::uint32_t index);
boost::json::object contact_file_json(const Account& acc, const Contact& c);
const char* state_name(ContactState s);
const char* seen_name(Seen s);
// The request body as a JSON object ("" counts as {}); nothing when it is not one.
std::optional<boost::json::object> body_object(const Request& r);
// A fresh id for a contact or agent added by a control: above every existing one, above 2^32.
Id next_person_id(const Account& acc);
// {"error": message}
Response control_error(int status, std::string_view message);

}  // namespace sim
