// Copyright Vigil authors.
#include "http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <ctime>
#include <mutex>

#include "gzip.h"

namespace vigil::recorder {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Exchange {
  HttpResponse* response;
  size_t max_bytes;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  const size_t bytes = size * n;
  if (x->response->body.size() + bytes > x->max_bytes) {
    x->response->truncated = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  x->response->body.append(data, bytes);
  return bytes;
}

// Retry-After is either delta-seconds or an HTTP date (RFC 9110 10.2.3).
std::chrono::milliseconds ParseRetryAfter(std::string_view value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  if (value.empty()) return std::chrono::milliseconds(0);
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    int64_t seconds = 0;
    for (char c : value) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::chrono::milliseconds(0);
      seconds = seconds * 10 + (c - '0');
      if (seconds > 86400) seconds = 86400;  // a day is plenty; no overflow
    }
    return std::chrono::seconds(seconds);
  }
  const std::string date(value);
  const time_t when = curl_getdate(date.c_str(), nullptr);
  const time_t now = time(nullptr);
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::seconds(std::min<int64_t>(when - now, 86400));
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  const size_t bytes = size * n;
  std::string_view line(data, bytes);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    bool match = true;
    for (size_t i = 0; i < kName.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    }
    if (match) x->response->retry_after = ParseRetryAfter(line.substr(kName.size()));
  }
  return bytes;
}

}  // namespace

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {
  GlobalInitOnce();
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpClient::PostJson(std::string_view path, std::string_view body) {
  std::string payload(body);
  return Perform(path, &payload);
}

HttpResponse HttpClient::Get(std::string_view path_and_query) {
  return Perform(path_and_query, nullptr);
}

HttpResponse HttpClient::Perform(std::string_view path, const std::string* body) {
  HttpResponse response;
  try {
    CURL* curl = static_cast<CURL*>(curl_);
    if (curl == nullptr) {
      response.error = "libcurl could not create a handle";
      return response;
    }
    curl_easy_reset(curl);
    const std::string url = options_.base_url + std::string(path);
    Exchange exchange{&response, options_.max_response_bytes};
    curl_slist* headers = nullptr;
    for (const std::string& h : options_.headers) headers = curl_slist_append(headers, h.c_str());
    std::string compressed;
    const std::string* to_send = body;
    if (body != nullptr) {
      headers = curl_slist_append(headers, "Content-Type: application/json");
      if (body->size() > options_.gzip_threshold && GzipCompress(*body, &compressed)) {
        headers = curl_slist_append(headers, "Content-Encoding: gzip");
        to_send = &compressed;
      }
    }
    // No "Expect: 100-continue" round trip for large bodies.
    headers = curl_slist_append(headers, "Expect:");

    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
    if (to_send != nullptr) {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, to_send->data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(to_send->size()));
    }
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
      response.error = error[0] != 0 ? error : curl_easy_strerror(rc);
      if (response.truncated) response.error = "answer larger than the client accepts";
      response.status = 0;
      return response;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
  } catch (...) {
    response.status = 0;
    response.error = "out of memory";
  }
  return response;
}

}  // namespace vigil::recorder
