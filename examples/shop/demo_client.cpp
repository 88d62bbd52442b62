// Drives the demo: sends benign and attack requests to a running shop,
// then reads what Vigil recorded (the agent's JSON-lines events file) and
// prints one table row per request.
//
//   vigil-demo-client --port N --events FILE [--title TEXT] [--expect block|monitor]
//
// With --expect it also checks what should have happened and exits 1 if not:
// benign requests answered 200 and never flagged; in block mode every attack
// answered 403 and recorded as blocked; in monitor mode every attack recorded
// and not blocked.
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

struct DemoRequest {
  const char* label;
  const char* method;
  std::string target;  // path and query, already URL-encoded
  std::string form;    // form body for POST
  bool attack;
};

std::string Encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::vector<DemoRequest> Requests() {
  return {
      {"search for mugs", "GET", "/search?q=mug", "", false},
      {"item 2", "GET", "/items/2", "", false},
      {"list by price, descending", "GET", "/items?sort=price&dir=DESC", "", false},
      {"log in as alice", "POST", "/login", "user=alice&password=wonderland", false},
      {"search with SQL words in prose", "GET", "/search?q=" + Encode("select the best mug from the menu"), "", false},
      {"search for an e-mail", "GET", "/search?q=" + Encode("alice@example.com"), "", false},
      {"UNION: dump users' passwords", "GET",
       "/search?q=" + Encode("' UNION SELECT name, password, email FROM users--"), "", true},
      {"login bypass with a comment", "POST", "/login", "user=" + Encode("alice'--") + "&password=x", true},
      {"tautology in a numeric id", "GET", "/items/" + Encode("0 OR 1=1"), "", true},
      {"boolean blind in ORDER BY", "GET",
       "/items?sort=" +
           Encode("(CASE WHEN (SELECT substr(password,1,1) FROM users WHERE name='alice')='w' THEN price ELSE id END)"),
       "", true},
      {"stacked query", "GET", "/search?q=" + Encode("'; DROP TABLE items;--"), "", true},
      {"time-based (heavy randomblob)", "GET", "/items/" + Encode("1 AND 1=LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(20000000))))"), "", true},
  };
}

std::string Shorten(std::string s, size_t n) {
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (s.size() > n) s = s.substr(0, n - 3) + "...";
  return s;
}

std::vector<nlohmann::json> ReadEvents(const std::string& path, size_t want_requests) {
  // The agent writes events from its own thread: wait until every request
  // has its line (or two seconds).
  std::vector<nlohmann::json> events;
  for (int attempt = 0; attempt < 40; ++attempt) {
    events.clear();
    size_t requests = 0;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded()) continue;
      if (j.value("type", "") == "request") ++requests;
      events.push_back(std::move(j));
    }
    if (requests >= want_requests) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8080;
  std::string events_path, title = "Vigil demo", expect;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--port")) port = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--events")) events_path = argv[i + 1];
    if (!std::strcmp(argv[i], "--title")) title = argv[i + 1];
    if (!std::strcmp(argv[i], "--expect")) expect = argv[i + 1];
  }
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  std::vector<DemoRequest> requests = Requests();
  std::vector<int> statuses;
  std::vector<std::string> bodies;
  // Each request carries its number in the User-Agent, which the agent
  // records: the events of consecutive requests may be written out of order.
  for (size_t i = 0; i < requests.size(); ++i) {
    const DemoRequest& r = requests[i];
    httplib::Headers headers = {{"User-Agent", "vigil-demo-client/" + std::to_string(i)}};
    httplib::Result res = std::strcmp(r.method, "POST") == 0
                              ? client.Post(r.target, headers, r.form, "application/x-www-form-urlencoded")
                              : client.Get(r.target, headers);
    statuses.push_back(res ? res->status : 0);
    bodies.push_back(res ? res->body : "<no answer: " + httplib::to_string(res.error()) + ">");
  }

  std::vector<nlohmann::json> events = ReadEvents(events_path, requests.size());
  std::map<std::string, nlohmann::json> request_lines;  // by User-Agent
  std::map<std::string, std::vector<nlohmann::json>> findings;  // by request id
  for (const auto& e : events) {
    if (e.value("type", "") == "request") request_lines[e.value("user_agent", "")] = e;
    if (e.value("type", "") == "finding" && e.contains("request")) {
      findings[e["request"].value("id", "")].push_back(e);
    }
  }

  std::printf("\n%s\n", title.c_str());
  std::printf("%-3s %-34s %-6s %-8s %s\n", "#", "request", "status", "blocked", "what Vigil recorded");
  int caught = 0, attacks = 0, false_alarms = 0;
  std::vector<std::string> failures;
  for (size_t i = 0; i < requests.size(); ++i) {
    std::string recorded = "-";
    bool blocked = false;
    auto line = request_lines.find("vigil-demo-client/" + std::to_string(i));
    if (line != request_lines.end()) {
      const auto& rl = line->second;
      blocked = rl.value("blocked", false);
      auto it = findings.find(rl.value("id", ""));
      if (it != findings.end() && !it->second.empty()) {
        const auto& f = it->second.front();
        recorded = f.value("rule", "") + " at " + f.value("hook_point", "") + ": " +
                   f["input"].value("key", "") + " " + f.value("reason", "");
      }
    }
    bool flagged = recorded != "-";
    if (!expect.empty()) {
      std::string who = "#" + std::to_string(i + 1) + " (" + requests[i].label + ")";
      if (!requests[i].attack && (statuses[i] != 200 || flagged || blocked)) {
        failures.push_back(who + ": benign request changed: status " + std::to_string(statuses[i]) +
                           (flagged ? ", flagged" : ""));
      }
      if (requests[i].attack && !flagged) failures.push_back(who + ": attack not recorded");
      if (requests[i].attack && expect == "block" && (statuses[i] != 403 || !blocked)) {
        failures.push_back(who + ": attack not blocked (status " + std::to_string(statuses[i]) + ")");
      }
      if (requests[i].attack && expect == "monitor" && blocked) {
        failures.push_back(who + ": blocked in monitor mode");
      }
    }
    if (requests[i].attack) {
      ++attacks;
      if (flagged) ++caught;
    } else if (flagged) {
      ++false_alarms;
    }
    std::printf("%-3zu %-34s %-6d %-8s %s\n", i + 1, Shorten(requests[i].label, 34).c_str(), statuses[i],
                blocked ? "BLOCKED" : "no", Shorten(recorded, 110).c_str());
  }
  std::printf("\nattacks caught: %d of %d; benign requests flagged: %d; events in %s\n", caught, attacks,
              false_alarms, events_path.c_str());
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].attack && statuses[i] == 200) {
      std::printf("note: attack #%zu was answered 200: %s\n", i + 1, Shorten(bodies[i], 100).c_str());
    }
  }
  for (const std::string& f : failures) std::printf("FAIL: %s\n", f.c_str());
  return failures.empty() ? 0 : 1;
}
