// Copyright Vigil authors.
//
// BodySource over Beast's request parser: reads the rest of the current
// request from the connection in fixed-size pieces, bounded on the wire
// (chunked bodies too: Beast's body_limit counts chunk sizes) and after
// decoding (Inflater), so that no body costs more memory than its limit.
#ifndef VIGIL_SERVER_HTTP_PARSER_BODY_H_
#define VIGIL_SERVER_HTTP_PARSER_BODY_H_

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <string>

#include "http/body_source.h"
#include "http/byte_stream.h"

namespace vigil::server {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

enum class BodyEncoding { kIdentity, kDeflate, kUnsupported };
// gzip, x-gzip and deflate are inflated; identity or none pass as they are.
BodyEncoding ParseContentEncoding(const std::string& header);

class ParserBody : public BodySource {
 public:
  ParserBody(ByteStream& stream, boost::beast::flat_buffer& buffer, RequestParser& parser,
             size_t wire_limit, BodyEncoding encoding, bool expect_continue);

  Result Read(size_t limit, std::string* out) override;
  bool unread() const override { return !parser_.is_done(); }

 private:
  Result ReadAll(size_t limit, std::string* out);

  ByteStream& stream_;
  boost::beast::flat_buffer& buffer_;
  RequestParser& parser_;
  size_t wire_limit_;
  BodyEncoding encoding_;
  bool expect_continue_;
  bool used_ = false;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_PARSER_BODY_H_
