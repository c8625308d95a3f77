#pragma once
// Shared by the /_sim/ control handlers: the account-file shape of one ticket or contact (used
// both to show state and as the base that an edit overlays), and the controls' error shape.
#include "account.hpp"
#include "api.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace sim {

boost::json::object ticket_file_json(const Account& acc, std::uint32_t index);
boost::json::object contact_file_json(const Account& acc, const Contact& c);
const char* state_name(ContactState s);
const char* seen_name(Seen s);
// {"error": message}
Response control_error(int status, std::string_view message);

}  // namespace sim
