// Copyright Vigil authors.
#include <sodium.h>
#include <sys/stat.h>

#include "signing.h"
#include "test_server.h"

namespace vigil::server::testing {
namespace {

TEST(SigningTest, RoundTripVerifiesWithLibsodium) {
  ASSERT_TRUE(InitCrypto());
  TempDir dir;
  std::string path = dir.path() + "/server.key", error;
  SigningKey key;
  ASSERT_TRUE(SigningKey::Generate(path, &key, &error)) << error;
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Never overwrites an existing key.
  SigningKey again;
  EXPECT_FALSE(SigningKey::Generate(path, &again, &error));
  SigningKey loaded;
  ASSERT_TRUE(SigningKey::Load(path, &loaded, &error)) << error;
  EXPECT_EQ(loaded.PublicKeyBase64(), key.PublicKeyBase64());

  const std::string payload = R"({"type":"settings","id":"act-1","app":"shop","version":3})";
  std::string sig_b64 = loaded.Sign(payload);
  // Verify exactly as an agent does: crypto_sign_verify_detached on the
  // decoded key and signature over the payload's bytes.
  std::string pk, sig;
  ASSERT_TRUE(Base64Decode(key.PublicKeyBase64(), &pk));
  ASSERT_TRUE(Base64Decode(sig_b64, &sig));
  ASSERT_EQ(pk.size(), crypto_sign_PUBLICKEYBYTES);
  ASSERT_EQ(sig.size(), crypto_sign_BYTES);
  EXPECT_EQ(crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                        reinterpret_cast<const unsigned char*>(payload.data()),
                                        payload.size(),
                                        reinterpret_cast<const unsigned char*>(pk.data())),
            0);
  EXPECT_FALSE(VerifySignature(key.PublicKeyBase64(), payload + " ", sig_b64));
  EXPECT_FALSE(VerifySignature(SigningKey::Ephemeral().PublicKeyBase64(), payload, sig_b64));
}

TEST(SigningTest, BadKeyFilesAreRefused) {
  TempDir dir;
  SigningKey key;
  std::string error;
  EXPECT_FALSE(SigningKey::Load(dir.path() + "/missing", &key, &error));
  std::string path = dir.path() + "/bad";
  std::system(("echo not-base64!! > " + path).c_str());
  EXPECT_FALSE(SigningKey::Load(path, &key, &error));
  EXPECT_NE(error.find("keygen"), std::string::npos);
}

}  // namespace
}  // namespace vigil::server::testing
