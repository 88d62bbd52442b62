// Drives the demo: sends benign and attack requests to a running shop,
// then reads what Vigil recorded (the agent's JSON-lines events file) and
// prints one table row per request.
//
//   vigil-demo-client --port N --events FILE [--title TEXT] [--expect block|monitor]
//   vigil-demo-client --port N --server URL --user NAME --password-file FILE
//                     [--timeout SECONDS] [--title TEXT] [--expect block|monitor]
//
// With --server the events are read from vigil-server's JSON API instead
// (docs/server-api.md), as the dashboard shows them: the client logs in and
// waits (30 s by default) until every attack it sent is there.
//
// With --expect it also checks what should have happened and exits 1 if not:
// benign requests answered 200 and never flagged; in block mode every attack
// answered 403 and recorded as blocked; in monitor mode every attack recorded
// and not blocked.
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <set>
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
      {"export a report with ; and & in its name", "GET", "/export?name=" + Encode("spring sale; mugs & cups"), "", false},
      {"download the catalog", "GET", "/download?file=catalog.txt", "", false},
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
      {"command injection: leave the quotes, run id", "GET", "/export?name=" + Encode("x'; id; echo '"), "", true},
      {"command injection: leave the quotes, substitute a command", "GET", "/export?name=" + Encode("'$(cat /etc/hostname)'"), "", true},
      {"path traversal to /etc/passwd", "GET", "/download?file=" + Encode("../../../../etc/passwd"), "", true},
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

// What Vigil recorded about one request: whether it was blocked, and its
// first finding (null when none).
struct Recorded {
  bool blocked = false;
  nlohmann::json finding;
};

// From the agent's events file: request lines (matched by User-Agent) and
// the findings of each request (by request id).
std::map<std::string, Recorded> FromEventsFile(const std::string& path, size_t want_requests) {
  std::vector<nlohmann::json> events = ReadEvents(path, want_requests);
  std::map<std::string, nlohmann::json> request_lines;  // by User-Agent
  std::map<std::string, std::vector<nlohmann::json>> findings;  // by request id
  for (const auto& e : events) {
    if (e.value("type", "") == "request") request_lines[e.value("user_agent", "")] = e;
    if (e.value("type", "") == "finding" && e.contains("request")) {
      findings[e["request"].value("id", "")].push_back(e);
    }
  }
  std::map<std::string, Recorded> out;
  for (const auto& [ua, line] : request_lines) {
    Recorded r;
    r.blocked = line.value("blocked", false);
    auto it = findings.find(line.value("id", ""));
    if (it != findings.end() && !it->second.empty()) r.finding = it->second.front();
    out[ua] = r;
  }
  return out;
}

// From vigil-server: the attacks stored since `since_ms`, matched by the
// User-Agent of their request (in each attack's full event). Waits until
// every User-Agent of `want` has its attack, or `timeout_s` passes.
std::map<std::string, Recorded> FromServer(const std::string& url, const std::string& user,
                                           const std::string& password, long long since_ms,
                                           const std::set<std::string>& want, int timeout_s,
                                           std::string* error) {
  std::map<std::string, Recorded> out;
  httplib::Client api(url);
  api.set_read_timeout(10, 0);
  const nlohmann::json login = {{"username", user}, {"password", password}};
  auto session = api.Post("/api/v1/session", login.dump(), "application/json");
  if (!session || session->status != 200) {
    *error = "cannot log in to " + url + ": " +
             (session ? std::to_string(session->status) + " " + session->body : httplib::to_string(session.error()));
    return out;
  }
  std::string cookie = session->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  const httplib::Headers headers = {{"Cookie", cookie}};
  std::set<long long> seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (;;) {
    std::string cursor;
    do {
      std::string target = "/api/v1/attacks?limit=200&from=" + std::to_string(since_ms);
      if (!cursor.empty()) target += "&cursor=" + cursor;
      auto page = api.Get(target, headers);
      if (!page || page->status != 200) break;  // the server may be busy: next round
      auto j = nlohmann::json::parse(page->body, nullptr, false);
      if (j.is_discarded()) break;
      for (const auto& a : j["attacks"]) {
        const long long id = a.value("id", 0LL);
        if (!seen.insert(id).second) continue;
        auto detail = api.Get("/api/v1/attacks/" + std::to_string(id), headers);
        auto d = detail && detail->status == 200 ? nlohmann::json::parse(detail->body, nullptr, false)
                                                 : nlohmann::json();
        if (!d.is_object()) {
          seen.erase(id);
          continue;
        }
        const nlohmann::json& e = d["attack"]["event"];
        const std::string ua = e.contains("request") ? e["request"].value("user_agent", "") : "";
        Recorded& r = out[ua];
        if (r.finding.is_null()) r.finding = e;
        if (e.value("outcome", "") == "blocked") r.blocked = true;
      }
      cursor = j.contains("next_cursor") && j["next_cursor"].is_string() ? j["next_cursor"].get<std::string>() : "";
    } while (!cursor.empty());
    bool all = true;
    for (const std::string& ua : want) all = all && out.count(ua) > 0;
    if (all) return out;
    if (std::chrono::steady_clock::now() > deadline) {
      *error = "after " + std::to_string(timeout_s) + " s the server shows " + std::to_string(seen.size()) +
               " attack events of this run; " + std::to_string(want.size()) + " attacks were sent";
      return out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8080;
  int timeout_s = 30;
  std::string events_path, title = "Vigil demo", expect, server, user, password_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--port")) port = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--events")) events_path = argv[i + 1];
    if (!std::strcmp(argv[i], "--title")) title = argv[i + 1];
    if (!std::strcmp(argv[i], "--expect")) expect = argv[i + 1];
    if (!std::strcmp(argv[i], "--server")) server = argv[i + 1];
    if (!std::strcmp(argv[i], "--user")) user = argv[i + 1];
    if (!std::strcmp(argv[i], "--password-file")) password_file = argv[i + 1];
    if (!std::strcmp(argv[i], "--timeout")) timeout_s = std::atoi(argv[i + 1]);
  }
  std::string password;
  if (!server.empty()) {
    std::ifstream in(password_file);
    if (!std::getline(in, password)) {
      std::fprintf(stderr, "vigil-demo-client: --server needs --user and a readable --password-file\n");
      return 2;
    }
  }
  const long long started_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
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

  std::map<std::string, Recorded> recorded_by_ua;
  std::string server_error;
  if (server.empty()) {
    recorded_by_ua = FromEventsFile(events_path, requests.size());
  } else {
    std::set<std::string> want;
    for (size_t i = 0; i < requests.size(); ++i) {
      if (requests[i].attack) want.insert("vigil-demo-client/" + std::to_string(i));
    }
    recorded_by_ua = FromServer(server, user, password, started_ms - 1000, want, timeout_s, &server_error);
  }

  std::printf("\n%s\n", title.c_str());
  std::printf("%-3s %-34s %-6s %-8s %s\n", "#", "request", "status", "blocked", "what Vigil recorded");
  int caught = 0, attacks = 0, false_alarms = 0;
  std::vector<std::string> failures;
  for (size_t i = 0; i < requests.size(); ++i) {
    std::string recorded = "-";
    bool blocked = false;
    auto line = recorded_by_ua.find("vigil-demo-client/" + std::to_string(i));
    if (line != recorded_by_ua.end()) {
      blocked = line->second.blocked;
      const nlohmann::json& f = line->second.finding;
      if (f.is_object()) {
        recorded = f.value("rule", "") + " at " + f.value("hook_point", "") + ": " +
                   (f.contains("input") ? f["input"].value("key", "") : std::string()) + " " +
                   f.value("reason", "");
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
  std::printf("\nattacks caught: %d of %d; benign requests flagged: %d; events %s %s\n", caught, attacks,
              false_alarms, server.empty() ? "in" : "at", server.empty() ? events_path.c_str() : server.c_str());
  if (!server_error.empty()) failures.push_back(server_error);
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].attack && statuses[i] == 200) {
      std::printf("note: attack #%zu was answered 200: %s\n", i + 1, Shorten(bodies[i], 100).c_str());
    }
  }
  for (const std::string& f : failures) std::printf("FAIL: %s\n", f.c_str());
  return failures.empty() ? 0 : 1;
}
