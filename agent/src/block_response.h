// Copyright Vigil authors.
//
// Block responses: what a blocked client receives instead of the
// application's answer. Configured by BlockSettings (from the local
// configuration or the dashboard); rendered per request as HTML or JSON
// according to the request's Accept header, or as a redirect.
//
//   BlockSettings settings;                    // 403, built-in pages
//   std::string error;
//   if (!ValidateBlockSettings(settings, &error)) { ...report error... }
//   BlockResponse r = MakeBlockResponse(settings, ctx.accept, ctx.request_id);
//   ctx.Block(std::move(r));
//
// Protections may also call ctx.Block({}) (no body, no location): the HTTP
// integration then renders the response with the settings in force.
#ifndef VIGIL_AGENT_BLOCK_RESPONSE_H_
#define VIGIL_AGENT_BLOCK_RESPONSE_H_

#include <string>
#include <string_view>

#include "request_context.h"

namespace vigil::agent {

struct BlockSettings {
  // HTTP status of the block response; with redirect_url, a 3xx status is
  // used as is and any other status becomes 303 See Other.
  int status = 403;
  // Page bodies; empty means the built-in ones. They may contain
  // {{request_id}} and {{status}}, replaced when rendered.
  std::string html_template;
  std::string json_template;
  // Non-empty: answer with a redirect here instead of a page. An absolute
  // http(s) URL or a path on this site ("/blocked?id={{request_id}}").
  std::string redirect_url;
};

// Longest accepted template, in bytes.
inline constexpr size_t kMaxBlockTemplateBytes = 64 * 1024;

// Checks `settings`; on failure returns false and sets *error (if non-null)
// to one line saying which field is wrong and why, e.g.
//   "block status 42 is not an HTTP status (expected 100..599)".
bool ValidateBlockSettings(const BlockSettings& settings, std::string* error);

// The block response for a request whose Accept header is `accept`: JSON if
// the client prefers application/json (see PrefersJson), HTML otherwise; a
// redirect if settings.redirect_url is set. `request_id` is inserted where
// the templates say {{request_id}} (escaped for HTML / JSON / URL).
// `settings` should be valid; an invalid status is replaced by 403.
BlockResponse MakeBlockResponse(const BlockSettings& settings, std::string_view accept,
                                std::string_view request_id);

// True if the Accept header `accept` gives application/json (or a +json
// type) a higher quality than text/html, following RFC 9110 q-values and
// specificity (text/html beats text/* beats */*). On a tie the more specific
// match wins, then the one listed first; an empty header means HTML.
bool PrefersJson(std::string_view accept);

// The built-in templates.
std::string_view DefaultBlockHtmlTemplate();
std::string_view DefaultBlockJsonTemplate();

// Replaces {{request_id}} and {{status}} in `tmpl`. `request_id` is inserted
// as given: escape it for the template's language first.
std::string RenderBlockTemplate(std::string_view tmpl, int status, std::string_view request_id);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_BLOCK_RESPONSE_H_
