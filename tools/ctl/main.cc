// tributary-ctl: the admin API of one or more nodes from a terminal (docs/tools.md).
//
//   tributary-ctl [--url URL]... [--demo] [--token T] [--json] [--timeout S] COMMAND
//
//   node                 health, role, region, version and uptime of each node
//   streams              the streams each node carries (GET /api/v1/streams)
//   sessions             the media sessions of each node (GET /api/v1/sessions), with
//                        [--vhost V] [--app A] [--stream S] [--kind publish|play]
//   upstreams            each node's upstream links (GET /api/v1/upstreams)
//   cluster              origins: their peers, edges and stream directory; edges: their
//                        origins and their health (GET /api/v1/cluster)
//   kick ID [--reason R] ends a session (DELETE /api/v1/sessions/ID) on the node that has it
//   reload               reloads each node's vhosts (POST /api/v1/reload)
//
// --url is repeatable (default http://127.0.0.1:8101); --demo means the four nodes of
// tools/demo (o1 8101, o2 8102, e1 8201, e2 8202). The token is --token, else the
// TRIBUTARY_ADMIN_TOKEN environment variable; nodes without admin.token answer loopback
// without one. Tables by default; --json prints one JSON array, an element per node:
// {"url", "status", "body"} or {"url", "error"}.
//
// Exit status: 0 when every node answered (kick: one node ended the session), 1 otherwise
// (each failure explained on stderr: connection refused, 401/403 with the node's reason...),
// 2 for bad arguments.

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "TextTable.h"
#include "net/HttpClient.h"
#include "net/Url.h"

namespace {

using namespace tributary;
using ctl::TextTable;
using nlohmann::json;

constexpr const char* kDefaultUrl = "http://127.0.0.1:8101";
const std::vector<std::string> kDemoUrls = {"http://127.0.0.1:8101", "http://127.0.0.1:8102",
                                            "http://127.0.0.1:8201", "http://127.0.0.1:8202"};

struct Options {
  std::vector<std::string> urls;
  bool demo = false;
  std::string token;
  bool json = false;
  double timeout_s = 5;
  bool insecure = false;
};

// One node's answer to one request.
struct Answer {
  std::string url;    // the node's base URL
  std::string error;  // empty: the node answered 2xx with JSON in `body`
  int status = 0;
  json body;
  bool Ok() const { return error.empty(); }
  // The node's name for tables: its "node" field, else the URL's host:port.
  std::string Node() const {
    if (body.is_object() && body.contains("node") && body["node"].is_string()) {
      return body["node"].get<std::string>();
    }
    const auto parsed = net::Url::Parse(url);
    return parsed ? parsed->HostHeader() : url;
  }
};

std::string StripSlash(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

std::string Lower(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// What went wrong, in words an operator can act on.
std::string Explain(const std::string& path, const net::HttpClientResult& result,
                    const json& body) {
  if (!result.Ok()) {
    const std::string error = Lower(result.error);
    if (error.find("refused") != std::string::npos) {
      return "connection refused: is the node running, and is this its http.listen address?";
    }
    if (error.find("timed out") != std::string::npos ||
        error.find("timeout") != std::string::npos) {
      return "no answer in time (" + result.error + ")";
    }
    return result.error;
  }
  std::string reason;
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    reason = body["error"].get<std::string>();
  } else if (!result.body.empty() && result.body.size() < 300) {
    reason = result.body;
  }
  std::string out = "HTTP " + std::to_string(result.status);
  if (!reason.empty()) out += ": " + reason;
  if (result.status == 401) {
    out += " (give the admin token with --token or TRIBUTARY_ADMIN_TOKEN)";
  } else if (result.status == 403) {
    out += " (this token or address may not do that)";
  } else if (result.status == 404 && reason.rfind("no resource at", 0) == 0) {
    out += " (this node does not serve " + path + ": an older version?)";
  } else if (result.status == 405) {
    out += " (this node does not serve " + path + ": an older version?)";
  }
  return out;
}

Answer Call(const Options& options, const std::string& base, net::HttpMethod method,
            const std::string& path) {
  Answer answer;
  answer.url = base;
  net::HttpClientRequest request;
  request.method = method;
  request.url = base + path;
  request.timeout = std::chrono::milliseconds(static_cast<int64_t>(options.timeout_s * 1000));
  request.headers.emplace_back("Accept", "application/json");
  if (!options.token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + options.token);
  }
  net::HttpClient::Options client;
  client.verify_peer = !options.insecure;
  const net::HttpClientResult result = net::HttpClient::Fetch(std::move(request), client);
  answer.status = result.status;
  answer.body = json::parse(result.body, nullptr, false);
  if (answer.body.is_discarded()) answer.body = nullptr;
  if (!result.Ok() || result.status < 200 || result.status >= 300) {
    answer.error = Explain(path, result, answer.body);
  } else if (answer.body.is_null() && !result.body.empty()) {
    answer.error = "HTTP " + std::to_string(result.status) + " but the body is not JSON";
  }
  return answer;
}

std::vector<Answer> CallEach(const Options& options, net::HttpMethod method,
                             const std::string& path) {
  std::vector<Answer> answers;
  for (const std::string& url : options.urls)
    answers.push_back(Call(options, url, method, path));
  return answers;
}

void PrintJson(const std::vector<Answer>& answers) {
  json out = json::array();
  for (const Answer& answer : answers) {
    if (answer.Ok()) {
      out.push_back({{"url", answer.url}, {"status", answer.status}, {"body", answer.body}});
    } else {
      json entry = {{"url", answer.url}, {"error", answer.error}};
      if (answer.status != 0) entry["status"] = answer.status;
      out.push_back(std::move(entry));
    }
  }
  std::cout << out.dump(2) << '\n';
}

// Reports the failures on stderr; 0 when there were none.
int ReportErrors(const std::vector<Answer>& answers) {
  int failures = 0;
  for (const Answer& answer : answers) {
    if (answer.Ok()) continue;
    std::cerr << "tributary-ctl: " << answer.url << ": " << answer.error << '\n';
    ++failures;
  }
  return failures == 0 ? 0 : 1;
}

bool AnyOk(const std::vector<Answer>& answers) {
  for (const Answer& answer : answers) {
    if (answer.Ok()) return true;
  }
  return false;
}

// The array under `key` (or the body itself when it is an array).
const json& ListOf(const json& body, const char* key) {
  static const json kEmpty = json::array();
  if (body.is_array()) return body;
  if (body.is_object() && body.contains(key) && body[key].is_array()) return body[key];
  return kEmpty;
}

// A table of JSON objects: NODE, the `leading` columns, then every other scalar field in the
// order first seen (nested objects and arrays too, compact).
void PrintObjects(const std::vector<Answer>& answers, const char* key,
                  const std::vector<std::string>& leading) {
  std::vector<std::string> columns = leading;
  std::set<std::string> seen(leading.begin(), leading.end());
  seen.insert("node");
  for (const Answer& answer : answers) {
    if (!answer.Ok()) continue;
    for (const json& item : ListOf(answer.body, key)) {
      if (!item.is_object()) continue;
      for (const auto& [name, value] : item.items()) {
        if (seen.insert(name).second) columns.push_back(name);
      }
    }
  }
  std::vector<std::string> header = {"NODE"};
  for (const std::string& column : columns) {
    std::string upper = column;
    for (char& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    header.push_back(upper);
  }
  TextTable table(header);
  for (const Answer& answer : answers) {
    if (!answer.Ok()) continue;
    for (const json& item : ListOf(answer.body, key)) {
      std::vector<std::string> row = {answer.Node()};
      for (const std::string& column : columns) {
        row.push_back(item.is_object() && item.contains(column) ? TextTable::Cell(item[column])
                                                                : "-");
      }
      table.AddRow(std::move(row));
    }
  }
  if (table.Rows() == 0) {
    if (AnyOk(answers)) std::cout << "(no " << key << ")\n";
    return;
  }
  table.Print(std::cout);
}

int RunNode(const Options& options) {
  const auto answers = CallEach(options, net::HttpMethod::get, "/api/v1/health");
  if (options.json) {
    PrintJson(answers);
  } else {
    TextTable table({"NODE", "ROLE", "REGION", "STATUS", "VERSION", "UPTIME_S", "URL"});
    for (const Answer& answer : answers) {
      if (!answer.Ok()) continue;
      const json& body = answer.body;
      table.AddRow({answer.Node(), TextTable::Cell(body.value("role", json())),
                    TextTable::Cell(body.value("region", json())),
                    TextTable::Cell(body.value("status", json())),
                    TextTable::Cell(body.value("version", json())),
                    TextTable::Cell(std::floor(body.value("uptime_seconds", 0.0))), answer.url});
    }
    if (table.Rows() > 0) table.Print(std::cout);
  }
  return ReportErrors(answers);
}

int RunList(const Options& options, const std::string& path, const char* key,
            const std::vector<std::string>& leading) {
  const auto answers = CallEach(options, net::HttpMethod::get, path);
  if (options.json) {
    PrintJson(answers);
  } else {
    PrintObjects(answers, key, leading);
  }
  return ReportErrors(answers);
}

// "pull o1 live": an upstream link object in one cell.
std::string LinkCell(const json& link) {
  if (!link.is_object()) return "-";
  std::string out = TextTable::Cell(link.value("kind", json())) + " " +
                    TextTable::Cell(link.value("node", json()));
  if (link.contains("state")) out += " " + TextTable::Cell(link["state"]);
  return out;
}

int RunStreams(const Options& options) {
  const auto answers = CallEach(options, net::HttpMethod::get, "/api/v1/streams");
  if (options.json) {
    PrintJson(answers);
    return ReportErrors(answers);
  }
  TextTable table({"NODE", "VHOST", "APP", "STREAM", "STATE", "SOURCE", "UPSTREAM", "TRACKS",
                   "VIEWERS", "VIEWER_NODES", "PACKETS_IN"});
  for (const Answer& answer : answers) {
    if (!answer.Ok()) continue;
    for (const json& stream : ListOf(answer.body, "streams")) {
      if (!stream.is_object()) continue;
      auto cell = [&](const char* key) { return TextTable::Cell(stream.value(key, json())); };
      table.AddRow({answer.Node(), cell("vhost"), cell("app"), cell("stream"), cell("state"),
                    cell("source"), LinkCell(stream.value("upstream", json())), cell("tracks"),
                    cell("viewers"), cell("viewer_nodes"), cell("packets_in")});
    }
  }
  if (table.Rows() == 0) {
    if (AnyOk(answers)) std::cout << "(no streams)\n";
  } else {
    table.Print(std::cout);
  }
  return ReportErrors(answers);
}

struct SessionFilter {
  std::string vhost, app, stream, kind;
  std::string Query() const {
    std::string query;
    auto add = [&](const char* name, const std::string& value) {
      if (value.empty()) return;
      query +=
          (query.empty() ? "?" : "&") + std::string(name) + "=" + net::Url::PercentEncode(value);
    };
    add("vhost", vhost);
    add("app", app);
    add("stream", stream);
    add("kind", kind);
    return query;
  }
};

int RunSessions(const Options& options, const SessionFilter& filter) {
  const auto answers = CallEach(options, net::HttpMethod::get, "/api/v1/sessions" + filter.Query());
  if (options.json) {
    PrintJson(answers);
    return ReportErrors(answers);
  }
  TextTable table({"NODE", "ID", "VHOST", "APP", "STREAM", "KIND", "STATE", "REMOTE", "BITRATE",
                   "LOSS", "RTT_MS", "AGE_S"});
  for (const Answer& answer : answers) {
    if (!answer.Ok()) continue;
    for (const json& session : ListOf(answer.body, "sessions")) {
      if (!session.is_object()) continue;
      char loss[32] = "-";
      if (session.contains("loss") && session["loss"].is_number()) {
        std::snprintf(loss, sizeof(loss), "%.1f%%", session["loss"].get<double>() * 100.0);
      }
      const json rtt = session.value("rtt_ms", json());
      table.AddRow({answer.Node(), TextTable::Cell(session.value("id", json())),
                    TextTable::Cell(session.value("vhost", json())),
                    TextTable::Cell(session.value("app", json())),
                    TextTable::Cell(session.value("stream", json())),
                    TextTable::Cell(session.value("kind", json())),
                    TextTable::Cell(session.value("state", json())),
                    TextTable::Cell(session.value("remote", json())),
                    TextTable::Bitrate(session.value("bitrate_bps", json())), loss,
                    rtt.is_number() ? TextTable::Cell(std::round(rtt.get<double>())) : "-",
                    TextTable::Cell(std::floor(session.value("age_seconds", 0.0)))});
    }
  }
  if (table.Rows() == 0) {
    if (AnyOk(answers)) std::cout << "(no sessions)\n";
  } else {
    table.Print(std::cout);
  }
  return ReportErrors(answers);
}

int RunCluster(const Options& options) {
  const auto answers = CallEach(options, net::HttpMethod::get, "/api/v1/cluster");
  if (options.json) {
    PrintJson(answers);
    return ReportErrors(answers);
  }
  // Who each node sees: an origin its peers and edges, an edge its origins.
  TextTable members({"NODE", "ROLE", "REGION", "SEES", "AS", "STATE", "RTT_MS", "DETAIL"});
  TextTable directory({"NODE", "VHOST", "APP", "STREAM", "OWNER", "OWNER_URL"});
  for (const Answer& answer : answers) {
    if (!answer.Ok()) continue;
    const json& view = answer.body;
    const std::string role = view.value("role", "");
    const std::string region = view.value("region", "");
    auto add = [&](const json& list, const std::string& as) {
      if (!list.is_array()) return;
      for (const json& other : list) {
        std::string detail;
        if (other.contains("sessions")) {
          detail = TextTable::Cell(other["sessions"]) + " sessions";
        } else if (other.contains("last_error") && other["last_error"].is_string()) {
          detail = other["last_error"].get<std::string>();
        }
        members.AddRow({answer.Node(), role, region, TextTable::Cell(other.value("id", json())), as,
                        TextTable::Cell(other.value("state", json())),
                        TextTable::Cell(other.value("rtt_ms", json())),
                        detail.empty() ? "-" : detail});
      }
    };
    add(view.value("peers", json()), "peer");
    add(view.value("edges", json()), "edge");
    add(view.value("origins", json()), "origin");
    if (view.contains("directory")) {
      for (const json& entry : ListOf(view["directory"], "streams")) {
        directory.AddRow({answer.Node(), TextTable::Cell(entry.value("vhost", json())),
                          TextTable::Cell(entry.value("app", json())),
                          TextTable::Cell(entry.value("stream", json())),
                          TextTable::Cell(entry.value("owner", json())),
                          TextTable::Cell(entry.value("url", json()))});
      }
    }
  }
  if (members.Rows() > 0) members.Print(std::cout);
  if (directory.Rows() > 0) {
    std::cout << "\nstream directory:\n";
    directory.Print(std::cout);
  }
  return ReportErrors(answers);
}

int RunKick(const Options& options, const std::string& id, const std::string& reason) {
  std::string path = "/api/v1/sessions/" + net::Url::PercentEncode(id);
  if (!reason.empty()) path += "?reason=" + net::Url::PercentEncode(reason);
  std::vector<Answer> answers;
  const Answer* kicked = nullptr;
  for (const std::string& url : options.urls) {
    answers.push_back(Call(options, url, net::HttpMethod::delete_, path));
    if (answers.back().Ok()) {
      kicked = &answers.back();
      break;  // ids are unique: no other node has it
    }
  }
  if (options.json) PrintJson(answers);
  if (kicked != nullptr) {
    if (!options.json) {
      std::cout << "kicked session " << id << " on " << kicked->url;
      if (kicked->body.is_object() && kicked->body.contains("vhost")) {
        std::cout << " (vhost " << TextTable::Cell(kicked->body["vhost"]) << ")";
      }
      std::cout << '\n';
    }
    return 0;
  }
  // Nobody had it: a 404 everywhere is one message; anything else is each node's.
  bool all_not_found = !answers.empty();
  for (const Answer& answer : answers)
    all_not_found = all_not_found && answer.status == 404;
  if (all_not_found) {
    std::cerr << "tributary-ctl: no session '" << id << "' on " << answers.size()
              << (answers.size() == 1 ? " node" : " nodes") << '\n';
    return 1;
  }
  return ReportErrors(answers);
}

int RunReload(const Options& options) {
  const auto answers = CallEach(options, net::HttpMethod::post, "/api/v1/reload");
  if (options.json) {
    PrintJson(answers);
  } else {
    TextTable table({"NODE", "RESULT", "URL"});
    for (const Answer& answer : answers) {
      if (!answer.Ok()) continue;
      std::string result = "reloaded";
      if (answer.body.is_object()) {
        json rest = answer.body;
        rest.erase("node");
        if (!rest.empty()) result = rest.dump();
      }
      table.AddRow({answer.Node(), result, answer.url});
    }
    if (table.Rows() > 0) table.Print(std::cout);
  }
  return ReportErrors(answers);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"tributary-ctl: the admin API of Tributary nodes (docs/api.md)"};
  app.require_subcommand(1);
  app.fallthrough();  // the global options may also follow the command
  app.add_option("--url", options.urls,
                 "a node's base URL, e.g. http://127.0.0.1:8101 (repeatable; default " +
                     std::string(kDefaultUrl) + ")");
  app.add_flag("--demo", options.demo, "the four nodes of tools/demo (o1, o2, e1, e2)");
  app.add_option("--token", options.token,
                 "admin bearer token (default: $TRIBUTARY_ADMIN_TOKEN; none: loopback only)");
  app.add_flag("--json", options.json, "print JSON instead of tables");
  app.add_option("--timeout", options.timeout_s, "seconds to wait for each node (default 5)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--insecure", options.insecure, "https: do not verify the node's certificate");

  SessionFilter filter;
  std::string kick_id;
  std::string kick_reason;
  auto* node = app.add_subcommand("node", "health, role, region, version and uptime");
  auto* streams = app.add_subcommand("streams", "the streams each node carries");
  auto* sessions = app.add_subcommand("sessions", "the media sessions of each node");
  sessions->add_option("--vhost", filter.vhost, "only this vhost");
  sessions->add_option("--app", filter.app, "only this app");
  sessions->add_option("--stream", filter.stream, "only this stream");
  sessions->add_option("--kind", filter.kind, "publish or play")
      ->check(CLI::IsMember({"publish", "play"}));
  auto* upstreams = app.add_subcommand("upstreams", "each node's upstream links");
  auto* cluster = app.add_subcommand("cluster", "peers, edges, origins and the directory");
  auto* kick = app.add_subcommand("kick", "end a session (its id from `sessions`)");
  kick->add_option("id", kick_id, "the session id")->required();
  kick->add_option("--reason", kick_reason, "why, for the node's log");
  auto* reload = app.add_subcommand("reload", "reload each node's vhosts");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;  // --help is 0
  }

  if (options.demo) options.urls.insert(options.urls.end(), kDemoUrls.begin(), kDemoUrls.end());
  if (options.urls.empty()) options.urls.push_back(kDefaultUrl);
  for (std::string& url : options.urls) {
    url = StripSlash(url);
    const auto parsed = net::Url::Parse(url);
    if (!parsed || (parsed->Scheme() != "http" && parsed->Scheme() != "https")) {
      std::cerr << "tributary-ctl: '" << url << "' is not an http:// or https:// URL\n";
      return 2;
    }
  }
  if (options.token.empty()) {
    if (const char* env = std::getenv("TRIBUTARY_ADMIN_TOKEN")) options.token = env;
  }

  if (*node) return RunNode(options);
  if (*streams) return RunStreams(options);
  if (*sessions) return RunSessions(options, filter);
  if (*upstreams) {
    return RunList(options, "/api/v1/upstreams", "upstreams",
                   {"vhost", "app", "stream", "kind", "node", "state", "failovers", "last_error"});
  }
  if (*cluster) return RunCluster(options);
  if (*kick) return RunKick(options, kick_id, kick_reason);
  if (*reload) return RunReload(options);
  return 2;
}
