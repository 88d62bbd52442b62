// Copyright Vigil authors.
//
// Scrubber::ScrubSql(): the statement of an event. Secrets go, the SQL and
// above all the injected part stay readable.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "scrub.h"

namespace vigil::recorder {
namespace {

class ScrubSqlTest : public ::testing::Test {
 protected:
  std::string Sql(std::string_view sql) { return scrubber_->ScrubSql(sql); }

  std::unique_ptr<Scrubber> scrubber_ = Scrubber::Create({}, nullptr);
};

TEST_F(ScrubSqlTest, ComparisonsInWhere) {
  EXPECT_EQ(Sql("SELECT * FROM users WHERE name = 'bob' AND password = 'hunter2'"),
            "SELECT * FROM users WHERE name = 'bob' AND password = '[redacted]'");
  EXPECT_EQ(Sql("SELECT id FROM users WHERE password='hunter2'"),
            "SELECT id FROM users WHERE password='[redacted]'");
  EXPECT_EQ(Sql("SELECT 1 FROM users u WHERE u.password LIKE 'hun%' AND u.name LIKE 'b%'"),
            "SELECT 1 FROM users u WHERE u.password LIKE '[redacted]' AND u.name LIKE 'b%'");
  EXPECT_EQ(
      Sql("SELECT 1 FROM t WHERE \"t\".\"api_key\" <> 'k' OR `session_id` != 'abc'"),
      "SELECT 1 FROM t WHERE \"t\".\"api_key\" <> '[redacted]' OR `session_id` != '[redacted]'");
  EXPECT_EQ(Sql("SELECT 1 FROM t WHERE token NOT LIKE BINARY 'x' AND pwd IS NOT DISTINCT FROM 'y'"),
            "SELECT 1 FROM t WHERE token NOT LIKE BINARY '[redacted]' AND pwd IS NOT DISTINCT FROM "
            "'[redacted]'");
  EXPECT_EQ(Sql("SELECT 1 FROM t WHERE password IS NULL"),
            "SELECT 1 FROM t WHERE password IS NULL");
}

TEST_F(ScrubSqlTest, NumbersBecomeStringsHoldingTheMarker) {
  EXPECT_EQ(Sql("SELECT * FROM cards WHERE pin = 1234 AND id = 1234"),
            "SELECT * FROM cards WHERE pin = '[redacted]' AND id = 1234");
  EXPECT_EQ(Sql("SELECT 1 WHERE pin BETWEEN 1000 AND 1999 AND n BETWEEN 1 AND 2"),
            "SELECT 1 WHERE pin BETWEEN '[redacted]' AND '[redacted]' AND n BETWEEN 1 AND 2");
  EXPECT_EQ(Sql("SELECT 1 WHERE pin = -42"), "SELECT 1 WHERE pin = -'[redacted]'");
}

TEST_F(ScrubSqlTest, ValuesBuiltFromExpressions) {
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE password = md5('x') AND a = md5('y')"),
            "SELECT 1 FROM u WHERE password = md5('[redacted]') AND a = md5('y')");
  EXPECT_EQ(Sql("UPDATE u SET password = crypt('x', gen_salt('bf')) WHERE id = 1"),
            "UPDATE u SET password = crypt('[redacted]', gen_salt('[redacted]')) WHERE id = 1");
  EXPECT_EQ(Sql("SELECT 1 WHERE secret = 'a' || 'b' AND c = 'd'"),
            "SELECT 1 WHERE secret = '[redacted]' || '[redacted]' AND c = 'd'");
  EXPECT_EQ(Sql("SELECT 1 WHERE password = 'x'::text AND k = 'y'::text"),
            "SELECT 1 WHERE password = '[redacted]'::text AND k = 'y'::text");
  EXPECT_EQ(Sql("SELECT 1 WHERE password::text = 'x'"),
            "SELECT 1 WHERE password::text = '[redacted]'");
  EXPECT_EQ(Sql("SELECT 1 WHERE lower(password) = 'x' AND lower(name) = 'y'"),
            "SELECT 1 WHERE lower(password) = '[redacted]' AND lower(name) = 'y'");
  EXPECT_EQ(Sql("SELECT 1 WHERE data->>'password' = 'x' AND data->>'name' = 'y'"),
            "SELECT 1 WHERE data->>'password' = '[redacted]' AND data->>'name' = 'y'");
  EXPECT_EQ(Sql("SELECT 1 WHERE password = E'a\\'b' OR password = _utf8mb4'c' COLLATE utf8mb4_bin"),
            "SELECT 1 WHERE password = E'[redacted]' OR password = _utf8mb4'[redacted]' COLLATE "
            "utf8mb4_bin");
  // MySQL reads "..." as a string.
  EXPECT_EQ(Sql("SELECT 1 WHERE password = \"x\""), "SELECT 1 WHERE password = \"[redacted]\"");
}

TEST_F(ScrubSqlTest, LiteralOnTheLeft) {
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE 'x' = password AND 'y' = name"),
            "SELECT 1 FROM u WHERE '[redacted]' = password AND 'y' = name");
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE md5('x') = u.password_hash"),
            "SELECT 1 FROM u WHERE md5('[redacted]') = u.password_hash");
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE 'x' = check_password(name)"),
            "SELECT 1 FROM u WHERE 'x' = check_password(name)");
}

TEST_F(ScrubSqlTest, SetClauses) {
  EXPECT_EQ(Sql("UPDATE accounts SET api_token = 'tok', name = 'bob', pwd = ? WHERE id = 42"),
            "UPDATE accounts SET api_token = '[redacted]', name = 'bob', pwd = ? WHERE id = 42");
  EXPECT_EQ(Sql("UPDATE t SET (name, password) = ('bob', 'x')"),
            "UPDATE t SET (name, password) = ('[redacted]', '[redacted]')");
}

TEST_F(ScrubSqlTest, InLists) {
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE password IN ('a','b') AND name IN ('c')"),
            "SELECT 1 FROM u WHERE password IN ('[redacted]','[redacted]') AND name IN ('c')");
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE token NOT IN (1, 2)"),
            "SELECT 1 FROM u WHERE token NOT IN ('[redacted]', '[redacted]')");
}

TEST_F(ScrubSqlTest, InsertValuesByPosition) {
  EXPECT_EQ(
      Sql("INSERT INTO users (name, password) VALUES ('bob', 'hunter2'), ('al', 'x')"),
      "INSERT INTO users (name, password) VALUES ('bob', '[redacted]'), ('al', '[redacted]')");
  EXPECT_EQ(
      Sql("INSERT INTO users (name, password, age) VALUES ('bob', crypt('x', gen_salt('bf')), 30)"),
      "INSERT INTO users (name, password, age) VALUES ('bob', crypt('[redacted]', "
      "gen_salt('[redacted]')), 30)");
  EXPECT_EQ(Sql("INSERT OR REPLACE INTO main.users (id, pwd) VALUES (1, 'x')"),
            "INSERT OR REPLACE INTO main.users (id, pwd) VALUES (1, '[redacted]')");
  EXPECT_EQ(Sql("REPLACE INTO `s` (`sessionId`, `data`) VALUE ROW('abc', '{}')"),
            "REPLACE INTO `s` (`sessionId`, `data`) VALUE ROW('[redacted]', '{}')");
  EXPECT_EQ(Sql("INSERT INTO t (a, b) VALUES ('x', 'y')"),
            "INSERT INTO t (a, b) VALUES ('x', 'y')");
  EXPECT_EQ(Sql("WITH x AS (INSERT INTO t (pwd) VALUES ('a') RETURNING id) "
                "INSERT INTO u (id, token) VALUES (1, 'b'); INSERT INTO v (secret) VALUES ('c')"),
            "WITH x AS (INSERT INTO t (pwd) VALUES ('[redacted]') RETURNING id) "
            "INSERT INTO u (id, token) VALUES (1, '[redacted]'); INSERT INTO v (secret) VALUES "
            "('[redacted]')");
  // Without a column list the columns are unknown: only text rules apply.
  EXPECT_EQ(Sql("INSERT INTO users VALUES ('bob', 'hunter2')"),
            "INSERT INTO users VALUES ('bob', 'hunter2')");
}

TEST_F(ScrubSqlTest, PasswordClausesOfAccountStatements) {
  EXPECT_EQ(Sql("ALTER USER bob WITH PASSWORD 'x'"), "ALTER USER bob WITH PASSWORD '[redacted]'");
  EXPECT_EQ(Sql("CREATE ROLE app LOGIN ENCRYPTED PASSWORD 'md5abc'"),
            "CREATE ROLE app LOGIN ENCRYPTED PASSWORD '[redacted]'");
  EXPECT_EQ(Sql("CREATE USER 'bob'@'%' IDENTIFIED BY 'x'"),
            "CREATE USER 'bob'@'%' IDENTIFIED BY '[redacted]'");
  EXPECT_EQ(Sql("ALTER USER 'bob'@'%' IDENTIFIED WITH caching_sha2_password BY 'x'"),
            "ALTER USER 'bob'@'%' IDENTIFIED WITH caching_sha2_password BY '[redacted]'");
  EXPECT_EQ(Sql("SET PASSWORD FOR 'bob'@'%' = 'x'; SELECT 'y'"),
            "SET PASSWORD FOR 'bob'@'%' = '[redacted]'; SELECT 'y'");
  EXPECT_EQ(Sql("PRAGMA key = 'secret'; PRAGMA rekey('new'); PRAGMA cache_size = 2000"),
            "PRAGMA key = '[redacted]'; PRAGMA rekey('[redacted]'); PRAGMA cache_size = 2000");
  EXPECT_EQ(Sql("ATTACH DATABASE 'enc.db' AS enc KEY 'k'"),
            "ATTACH DATABASE 'enc.db' AS enc KEY '[redacted]'");
  // "key" alone is no secret outside those statements.
  EXPECT_EQ(Sql("SELECT 1 FROM kv WHERE key = 'a'"), "SELECT 1 FROM kv WHERE key = 'a'");
}

TEST_F(ScrubSqlTest, CommentsAreTextAndSql) {
  EXPECT_EQ(Sql("SELECT 1 /* token=abc */ -- password: x\nFROM t"),
            "SELECT 1 /* token=[redacted] */ -- password: [redacted]\nFROM t");
  EXPECT_EQ(Sql("SELECT 1 -- WHERE pwd IN (1, 2)"),
            "SELECT 1 -- WHERE pwd IN ('[redacted]', '[redacted]')");
  EXPECT_EQ(Sql("SELECT * FROM users WHERE name = '⟦' OR 1=1 #⟧' AND password = 'hunter2'"),
            "SELECT * FROM users WHERE name = '⟦' OR 1=1 #⟧' AND password = '[redacted]'");
  EXPECT_EQ(Sql("SELECT data #> '{a}', data #>> '{b}' FROM t WHERE password = 'x'"),
            "SELECT data #> '{a}', data #>> '{b}' FROM t WHERE password = '[redacted]'");
  // Comments work as blanks between the column and its value.
  EXPECT_EQ(Sql("SELECT 1 WHERE password/**/=/**/'x'"),
            "SELECT 1 WHERE password/**/=/**/'[redacted]'");
}

TEST_F(ScrubSqlTest, DollarQuotes) {
  EXPECT_EQ(Sql("UPDATE t SET secret = $$s3'cr$$ WHERE a = $$b$$"),
            "UPDATE t SET secret = $$[redacted]$$ WHERE a = $$b$$");
  EXPECT_EQ(Sql("UPDATE t SET secret = $x$a $$ b$x$, n = $1"),
            "UPDATE t SET secret = $x$[redacted]$x$, n = $1");
  // A quote inside a dollar-quoted body does not start a string.
  EXPECT_EQ(Sql("SELECT $$'$$ WHERE password = 'x'"), "SELECT $$'$$ WHERE password = '[redacted]'");
}

TEST_F(ScrubSqlTest, InjectionMarksSurviveAndTheAttackStaysReadable) {
  EXPECT_EQ(Sql("SELECT * FROM users WHERE name = '⟦' OR 1=1 --⟧' AND password = 'hunter2'"),
            "SELECT * FROM users WHERE name = '⟦' OR 1=1 --⟧' AND password = '[redacted]'");
  EXPECT_EQ(
      Sql("SELECT * FROM users WHERE name = '⟦' OR 1=1 --⟧' AND pwd IN ('a', 'b')"),
      "SELECT * FROM users WHERE name = '⟦' OR 1=1 --⟧' AND pwd IN ('[redacted]', '[redacted]')");
  EXPECT_EQ(Sql("SELECT * FROM users WHERE name = '⟦x' UNION SELECT password FROM users --⟧'"),
            "SELECT * FROM users WHERE name = '⟦x' UNION SELECT password FROM users --⟧'");
  // Injected into the password itself: the empty literal hides nothing.
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE password = '⟦' OR '1'='1⟧'"),
            "SELECT 1 FROM u WHERE password = '⟦' OR '1'='1⟧'");
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE password = 'abc⟦' OR 1=1 --⟧'"),
            "SELECT 1 FROM u WHERE password = '[redacted]⟦' OR 1=1 --⟧'");
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE password = '⟦x' OR 'a'='a⟧'"),
            "SELECT 1 FROM u WHERE password = '⟦[redacted]' OR 'a'='a⟧'");
  // Marks between tokens are blanks to the tokenizer.
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE password ⟦= 'x' OR 1=1⟧"),
            "SELECT 1 FROM u WHERE password ⟦= '[redacted]' OR 1=1⟧");
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE pass⟦word = 'x'⟧"),
            "SELECT 1 FROM u WHERE pass⟦word = '[redacted]'⟧");
}

TEST_F(ScrubSqlTest, CardsAndTextInsideLiterals) {
  EXPECT_EQ(Sql("INSERT INTO orders (item, card) VALUES ('book', '4111 1111 1111 1111')"),
            "INSERT INTO orders (item, card) VALUES ('book', '[redacted]')");
  EXPECT_EQ(Sql("SELECT 1 WHERE n = 4111111111111111 OR n = 4111111111111112"),
            "SELECT 1 WHERE n = [redacted] OR n = 4111111111111112");
  EXPECT_EQ(Sql("INSERT INTO log (url) VALUES ('/x?token=abc&a=1')"),
            "INSERT INTO log (url) VALUES ('/x?token=[redacted]&a=1')");
  EXPECT_EQ(Sql("SELECT '{\"password\": \"x\"}'::json"),
            "SELECT '{\"password\": \"[redacted]\"}'::json");
}

TEST_F(ScrubSqlTest, TheRestOfTheStatementIsUntouched) {
  for (const char* sql : {"SELECT password, api_key FROM users ORDER BY session_id",
                          "SELECT * FROM t WHERE id = 1 AND name LIKE 'a%' LIMIT 10",
                          "CREATE TABLE users (id INTEGER PRIMARY KEY, password TEXT NOT NULL)",
                          "UPDATE users SET password = $1 WHERE id = $2",
                          "UPDATE users SET password = ? WHERE id = ?",
                          "UPDATE users SET password = :pw WHERE name = @name",
                          "SELECT 1 WHERE password = other_col", "SELECT E'\\\\' AS x"}) {
    EXPECT_EQ(Sql(sql), sql);
  }
}

TEST_F(ScrubSqlTest, BackslashesReadTheWayThatClosesEveryQuote) {
  // MySQL: \' escapes the quote.
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE name = 'it\\'s' AND password = 'hunter2'"),
            "SELECT 1 FROM u WHERE name = 'it\\'s' AND password = '[redacted]'");
  // PostgreSQL, SQLite: 'C:\' is a whole string.
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE name = '⟦\\⟧' AND password = 'hunter2'"),
            "SELECT 1 FROM u WHERE name = '⟦\\⟧' AND password = '[redacted]'");
  // Both readings close every quote: the MySQL one, with the longer
  // literal, is kept.
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE password = 'x\\' OR 1=1 --'"),
            "SELECT 1 FROM u WHERE password = '[redacted]'");
  // A backslash outside a string is no reading at all; E'' strings always
  // take backslash escapes.
  EXPECT_EQ(Sql("SELECT 1 FROM u WHERE path = 'C:\\' AND secret = E'a\\'b'"),
            "SELECT 1 FROM u WHERE path = 'C:\\' AND secret = E'[redacted]'");
}

TEST_F(ScrubSqlTest, UnterminatedAndEscapedLiterals) {
  EXPECT_EQ(Sql("SELECT * FROM t WHERE password = 'abc"),
            "SELECT * FROM t WHERE password = '[redacted]");
  EXPECT_EQ(Sql("SELECT 1 WHERE password = 'it''s' AND a = 'b'"),
            "SELECT 1 WHERE password = '[redacted]' AND a = 'b'");
  EXPECT_EQ(Sql("SELECT 1 WHERE password = 'a\\'b' AND a = 'b'"),
            "SELECT 1 WHERE password = '[redacted]' AND a = 'b'");
  EXPECT_EQ(Sql("SELECT 1 WHERE password IN ('a', 'b'"),
            "SELECT 1 WHERE password IN ('[redacted]', '[redacted]'");
  EXPECT_EQ(Sql("SELECT 1 /* password = 'x'"), "SELECT 1 /* password = '[redacted]'");
  EXPECT_EQ(Sql("UPDATE t SET secret = $a$never closed"), "UPDATE t SET secret = $a$[redacted]");
}

}  // namespace
}  // namespace vigil::recorder
