#include "account/account.hpp"

#include <catch2/catch.hpp>

using namespace gp;

TEST_CASE("a ticket is a compact fixed-size record") {
    STATIC_REQUIRE(sizeof(Ticket) <= 72);
}

TEST_CASE("ticket types and tags are interned in normalized form") {
    Snapshot s;
    TicketRecord a;
    a.id = 1;
    a.type = "Question";
    a.tags = {" Urgent", "billing"};
    TicketRecord b = a;
    b.id = 2;
    b.type = "QUESTION ";
    b.tags = {"URGENT"};
    s.add_ticket(a);
    s.add_ticket(b);
    REQUIRE(s.tickets().size() == 2);
    CHECK(s.tickets()[0].type == s.tickets()[1].type);
    CHECK(s.name(s.tickets()[0].type) == "question");
    const auto tags_a = s.tags_of(s.tickets()[0]);
    const auto tags_b = s.tags_of(s.tickets()[1]);
    REQUIRE(tags_a.size() == 2);
    REQUIRE(tags_b.size() == 1);
    CHECK(tags_a[0] == tags_b[0]);
    CHECK(s.name(tags_a[1]) == "billing");
    CHECK(s.find_name("Billing ") == tags_a[1]);
    CHECK_FALSE(s.find_name("refund").has_value());
}

TEST_CASE("a ticket without type has no name and is live unless spam or deleted") {
    Snapshot s;
    TicketRecord r;
    r.id = 7;
    s.add_ticket(r);
    r.id = 8;
    r.spam = true;
    s.add_ticket(r);
    r.id = 9;
    r.spam = false;
    r.deleted = true;
    s.add_ticket(r);
    CHECK(s.tickets()[0].type == no_name);
    CHECK(s.tickets()[0].live());
    CHECK_FALSE(s.tickets()[1].live());
    CHECK_FALSE(s.tickets()[2].live());
}

TEST_CASE("the string pool keeps its names valid while it grows") {
    StringPool pool;
    std::vector<NameRef> refs;
    for (int i = 0; i < 5000; ++i) {
        refs.push_back(pool.intern("n" + std::to_string(i)));
    }
    for (int i = 0; i < 5000; ++i) {
        CHECK(pool.find("n" + std::to_string(i)) == refs[static_cast<std::size_t>(i)]);
    }
    CHECK(pool.intern("n42") == refs[42]);
    CHECK(pool.size() == 5000);
}

TEST_CASE("record_of gives back a ticket as added, with its names normalized") {
    Snapshot s;
    TicketRecord a;
    a.id = 7;
    a.requester_id = 70;
    a.responder_id = 71;
    a.group_id = 72;
    a.type = " Question ";
    a.tags = {"VIP", "billing"};
    a.status = status_closed;
    a.spam = true;
    a.created_at = 100;
    a.updated_at = 200;
    a.closed_at = 150;
    s.add_ticket(a);
    const TicketRecord back = s.record_of(s.tickets().front());
    CHECK(back.id == 7);
    CHECK(back.requester_id == 70);
    CHECK(back.responder_id == 71);
    CHECK(back.group_id == 72);
    CHECK(back.type == std::optional<std::string>("question"));
    CHECK(back.tags == std::vector<std::string>{"vip", "billing"});
    CHECK(back.status == status_closed);
    CHECK(back.spam);
    CHECK_FALSE(back.deleted);
    CHECK(back.created_at == 100);
    CHECK(back.updated_at == 200);
    CHECK(back.closed_at == 150);
}

TEST_CASE("an archived ticket is current but not live, and record_of keeps it archived") {
    Snapshot s;
    TicketRecord r;
    r.id = 11;
    r.status = status_closed;
    r.archived = true;
    s.add_ticket(r);
    r.id = 12;
    r.archived = false;
    s.add_ticket(r);
    r.id = 13;
    r.deleted = true;
    s.add_ticket(r);
    const Ticket& archived = s.tickets()[0];
    CHECK(archived.archived);
    CHECK_FALSE(archived.live());
    CHECK(archived.current());
    CHECK(s.tickets()[1].live());
    CHECK(s.tickets()[1].current());
    CHECK_FALSE(s.tickets()[1].archived);
    CHECK_FALSE(s.tickets()[2].live());
    CHECK_FALSE(s.tickets()[2].current());
    CHECK(s.record_of(archived).archived);
    CHECK_FALSE(s.record_of(s.tickets()[1]).archived);
}
