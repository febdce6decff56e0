// fetch_to_file against a scripted HTTP server on loopback.
#include <catch2/catch.hpp>
#include <http_server.hpp>
#include <test_support.hpp>

#include <porchlight/net/http.hpp>
#include <porchlight/util/sha256.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <vector>

using namespace porchlight;
using porchlight::net::fetch_options;
using porchlight::net::fetch_result;
using porchlight::net::fetch_to_file;
using porchlight::net::http_error;
using porchlight::test::http_response;
using porchlight::test::HttpServer;
using porchlight::test::read_text;
using porchlight::test::TempDir;

namespace {

struct fixture {
    fixture() { ::setenv("no_proxy", "127.0.0.1", 1); } // a proxy in the environment is not for us
    TempDir dir;
    HttpServer server;
    std::filesystem::path file = dir / "out.bin";
    std::filesystem::path part = dir / "out.bin.part";

    std::string url(const std::string& path) const { return server.base_url() + path; }

    static fetch_options options() {
        fetch_options o;
        o.connect_timeout_s = 2;
        o.total_timeout_s = 10;
        o.stall_timeout_s = 5;
        o.retries = 2;
        o.backoff_s = 0.05;
        return o;
    }

    void write_sentinel() const { std::ofstream(file, std::ios::binary) << "sentinel"; }
};

/// A body of n bytes that is not all the same byte (so a misplaced range shows).
std::string body_of(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i)
        s += static_cast<char>('a' + (i * 7 + i / 26) % 26);
    return s;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The http_error fetch_to_file throws (fails the test when it throws none).
http_error fetch_error(const std::string& url, const std::filesystem::path& file,
                       const fetch_options& o) {
    try {
        fetch_to_file(url, file, o);
    } catch (const http_error& e) {
        return e;
    }
    FAIL("no http_error for " << url);
    return http_error("", 0);
}

} // namespace

TEST_CASE("http: a 200 is saved with what the server said about it", "[net][http]") {
    fixture f;
    const std::string body = body_of(3000);
    f.server.on("/data.csv", http_response{200,
                                           body,
                                           {{"ETag", "\"abc\""},
                                            {"Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"},
                                            {"Content-Type", "text/csv"}}});
    const auto r = fetch_to_file(f.url("/data.csv"), f.file, f.options());
    CHECK(r.url == f.url("/data.csv"));
    CHECK(r.final_url == f.url("/data.csv"));
    CHECK(r.status == 200);
    CHECK_FALSE(r.not_modified);
    CHECK(r.etag == "\"abc\"");
    CHECK(r.last_modified == "Wed, 21 Oct 2015 07:28:00 GMT");
    CHECK(r.content_type == "text/csv");
    CHECK(r.retrieved_at.size() == 20);
    CHECK(r.retrieved_at.back() == 'Z');
    CHECK(r.size == 3000);
    CHECK(r.sha256 == util::sha256_hex(body));
    CHECK(r.attempts == 1);
    CHECK_FALSE(r.resumed);
    CHECK(read_text(f.file) == body);
    CHECK_FALSE(std::filesystem::exists(f.part));
    REQUIRE(f.server.request_count() == 1);
    CHECK(f.server.requests()[0].header("user-agent").rfind("porchlight/", 0) == 0);
    CHECK(f.server.requests()[0].header("range").empty());
}

TEST_CASE("http: an empty body makes an empty file, a user agent given is sent", "[net][http]") {
    fixture f;
    f.server.on("/empty", http_response{200, ""});
    auto o = f.options();
    o.user_agent = "tester/1";
    const auto r = fetch_to_file(f.url("/empty"), f.file, o);
    CHECK(r.size == 0);
    CHECK(r.sha256 == util::sha256_hex(""));
    CHECK(std::filesystem::exists(f.file));
    CHECK(std::filesystem::file_size(f.file) == 0);
    CHECK(f.server.requests().at(0).header("user-agent") == "tester/1");
}

TEST_CASE("http: a 302 is followed and final_url is where the body came from", "[net][http]") {
    fixture f;
    f.server.on("/old", http_response{302, "", {{"Location", "/new"}}});
    f.server.on("/new", http_response{200, "moved here", {{"ETag", "\"n\""}}});
    const auto r = fetch_to_file(f.url("/old"), f.file, f.options());
    CHECK(r.url == f.url("/old"));
    CHECK(r.final_url == f.url("/new"));
    CHECK(r.status == 200);
    CHECK(r.etag == "\"n\"");
    CHECK(read_text(f.file) == "moved here");
    CHECK(f.server.request_count() == 2);
}

TEST_CASE("http: a redirect loop beyond max_redirects is an error naming it", "[net][http]") {
    fixture f;
    f.server.on("/loop", http_response{302, "", {{"Location", "/loop"}}});
    auto o = f.options();
    o.max_redirects = 3;
    const auto e = fetch_error(f.url("/loop"), f.file, o);
    CHECK_THAT(e.what(), Catch::Contains("too many redirects (more than 3)"));
    CHECK(e.curl_code() == CURLE_TOO_MANY_REDIRECTS);
    CHECK(f.server.request_count() == 4); // not retried
    CHECK_FALSE(std::filesystem::exists(f.file));
}

TEST_CASE("http: a redirect to a scheme other than http or https is refused", "[net][http]") {
    fixture f;
    std::string target;
    SECTION("file") {
        target = "file:///etc/passwd";
    }
    SECTION("ftp") {
        target = "ftp://127.0.0.1/x";
    }
    f.server.on("/away", http_response{302, "", {{"Location", target}}});
    const auto e = fetch_error(f.url("/away"), f.file, f.options());
    INFO(e.what());
    CHECK_THAT(e.what(), Catch::StartsWith("refused a redirect to " + target));
    CHECK(e.curl_code() == CURLE_UNSUPPORTED_PROTOCOL);
    CHECK(f.server.request_count() == 1); // not retried
    CHECK_FALSE(std::filesystem::exists(f.file));
}

TEST_CASE("http: a 304 to a conditional request is not modified and writes nothing",
          "[net][http]") {
    fixture f;
    f.write_sentinel();
    f.server.on("/same", http_response{304, "", {{"ETag", "\"v7\""}}});
    auto o = f.options();
    o.if_none_match = "\"v7\"";
    o.if_modified_since = "Wed, 21 Oct 2015 07:28:00 GMT";
    const auto r = fetch_to_file(f.url("/same"), f.file, o);
    CHECK(r.not_modified);
    CHECK(r.status == 304);
    CHECK(r.sha256.empty());
    CHECK(r.size == 0);
    CHECK(r.etag == "\"v7\"");
    CHECK(read_text(f.file) == "sentinel");
    CHECK_FALSE(std::filesystem::exists(f.part));
    REQUIRE(f.server.request_count() == 1);
    const auto req = f.server.requests()[0];
    CHECK(req.header("if-none-match") == "\"v7\"");
    CHECK(req.header("if-modified-since") == "Wed, 21 Oct 2015 07:28:00 GMT");
}

TEST_CASE("http: a 500 then a 200 succeeds on the second attempt", "[net][http]") {
    fixture f;
    f.server.on("/flaky", {http_response{500, "oops"}, http_response{200, "fine"}});
    const auto r = fetch_to_file(f.url("/flaky"), f.file, f.options());
    CHECK(r.attempts == 2);
    CHECK(r.status == 200);
    CHECK(read_text(f.file) == "fine"); // not the 500's body
    CHECK(f.server.request_count() == 2);
}

TEST_CASE("http: a 503 every time fails after the retries with its status", "[net][http]") {
    fixture f;
    f.write_sentinel();
    f.server.on("/down", http_response{503, "busy"});
    const auto e = fetch_error(f.url("/down"), f.file, f.options());
    CHECK(e.status() == 503);
    CHECK(e.curl_code() == 0);
    CHECK_THAT(e.what(), Catch::Contains("HTTP 503 Service Unavailable from " + f.url("/down")));
    CHECK_THAT(e.what(), Catch::Contains("after 3 attempts"));
    CHECK(f.server.request_count() == 3);
    CHECK(read_text(f.file) == "sentinel");
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: a 404 fails at once, its reason in the message", "[net][http]") {
    fixture f;
    f.write_sentinel();
    f.server.on("/gone", http_response{404, "no such thing"});
    const auto e = fetch_error(f.url("/gone"), f.file, f.options());
    CHECK(std::string(e.what()) == "HTTP 404 Not Found from " + f.url("/gone"));
    CHECK(e.status() == 404);
    CHECK(e.curl_code() == 0);
    CHECK(f.server.request_count() == 1);
    CHECK(read_text(f.file) == "sentinel");
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: a 429 with Retry-After waits that long, then succeeds", "[net][http]") {
    fixture f;
    f.server.on("/limited", {http_response{429, "slow down", {{"Retry-After", "1"}}},
                             http_response{200, "ok"}});
    const auto start = std::chrono::steady_clock::now();
    const auto r = fetch_to_file(f.url("/limited"), f.file, f.options());
    CHECK(seconds_since(start) >= 0.9);
    CHECK(r.attempts == 2);
    CHECK(read_text(f.file) == "ok");
}

TEST_CASE("http: an answer slower than total_timeout_s times out", "[net][http]") {
    fixture f;
    f.write_sentinel();
    http_response slow{200, body_of(400)};
    slow.chunk_size = 10;
    slow.chunk_delay_s = 0.25; // 10 s in all
    f.server.on("/slow", slow);
    auto o = f.options();
    o.total_timeout_s = 1;
    o.retries = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto e = fetch_error(f.url("/slow"), f.file, o);
    CHECK(seconds_since(start) < 2.5);
    CHECK_THAT(e.what(), Catch::StartsWith("timed out: "));
    CHECK_THAT(e.what(), Catch::Contains("after 1 attempt"));
    CHECK(e.curl_code() == CURLE_OPERATION_TIMEDOUT);
    CHECK(read_text(f.file) == "sentinel");
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: a transfer that stalls is abandoned after stall_timeout_s", "[net][http]") {
    fixture f;
    http_response stalled{200, body_of(3)}; // a byte, then nothing for 8 s
    stalled.chunk_size = 1;
    stalled.chunk_delay_s = 8;
    f.server.on("/stall", stalled);
    auto o = f.options();
    o.stall_timeout_s = 1;
    o.total_timeout_s = 30;
    o.retries = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto e = fetch_error(f.url("/stall"), f.file, o);
    INFO(e.what());
    CHECK(seconds_since(start) < 4);
    CHECK_THAT(e.what(), Catch::StartsWith("stalled: "));
    CHECK(e.curl_code() == CURLE_OPERATION_TIMEDOUT);
    CHECK_FALSE(std::filesystem::exists(f.file));
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: a declared Content-Length over max_bytes fails without a file", "[net][http]") {
    fixture f;
    f.write_sentinel();
    f.server.on("/big", http_response{200, body_of(5000)});
    auto o = f.options();
    o.max_bytes = 1000;
    const auto e = fetch_error(f.url("/big"), f.file, o);
    CHECK_THAT(e.what(), Catch::Contains("larger than 1000 bytes"));
    CHECK(f.server.request_count() == 1); // not retried
    CHECK(read_text(f.file) == "sentinel");
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: an undeclared body over max_bytes is cut off", "[net][http]") {
    fixture f;
    http_response big{200, body_of(50000)};
    SECTION("chunked") {
        big.chunked = true;
    }
    SECTION("without a length") {
        big.omit_content_length = true;
    }
    big.chunk_size = 4096;
    f.server.on("/big", big);
    auto o = f.options();
    o.max_bytes = 10000;
    const auto e = fetch_error(f.url("/big"), f.file, o);
    CHECK_THAT(e.what(), Catch::Contains("larger than 10000 bytes"));
    CHECK(f.server.request_count() == 1);
    CHECK_FALSE(std::filesystem::exists(f.file));
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: a chunked body within max_bytes is saved whole", "[net][http]") {
    fixture f;
    const std::string body = body_of(9000);
    http_response r{200, body};
    r.chunked = true;
    r.chunk_size = 1000;
    f.server.on("/chunked", r);
    const auto got = fetch_to_file(f.url("/chunked"), f.file, f.options());
    CHECK(got.size == 9000);
    CHECK(got.sha256 == util::sha256_hex(body));
    CHECK(read_text(f.file) == body);
}

TEST_CASE("http: a truncated body is resumed with a Range request", "[net][http]") {
    fixture f;
    f.write_sentinel();
    const std::string body = body_of(1000);
    http_response cut{200, body.substr(0, 400)};
    cut.declared_length = 1000;
    cut.ranges = true;
    http_response whole{200, body};
    whole.ranges = true;
    f.server.on("/doc.pdf", {cut, whole});
    const auto r = fetch_to_file(f.url("/doc.pdf"), f.file, f.options());
    CHECK(r.resumed);
    CHECK(r.status == 206);
    CHECK(r.attempts == 2);
    CHECK(r.size == 1000);
    CHECK(r.sha256 == util::sha256_hex(body));
    CHECK(read_text(f.file) == body);
    CHECK(r.etag == "\"v1\"");
    CHECK_FALSE(std::filesystem::exists(f.part));
    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].header("range").empty());
    CHECK(reqs[1].header("range") == "bytes=400-");
    CHECK(reqs[1].header("if-range") == "\"v1\"");
}

TEST_CASE("http: a truncated body is fetched again when the server ignores Range", "[net][http]") {
    fixture f;
    const std::string body = body_of(1000);
    http_response cut{200, body.substr(0, 400), {{"Accept-Ranges", "bytes"}}};
    cut.declared_length = 1000;
    f.server.on("/doc.pdf", {cut, http_response{200, body}});
    const auto r = fetch_to_file(f.url("/doc.pdf"), f.file, f.options());
    CHECK_FALSE(r.resumed);
    CHECK(r.status == 200);
    CHECK(r.attempts == 2);
    CHECK(r.size == 1000);
    CHECK(r.sha256 == util::sha256_hex(body));
    CHECK(read_text(f.file) == body);
    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[1].header("range") == "bytes=400-"); // asked, and answered with everything
}

TEST_CASE("http: a truncated body without validators is fetched again from the start",
          "[net][http]") {
    fixture f;
    const std::string body = body_of(1000);
    http_response cut{200, body.substr(0, 400)};
    cut.declared_length = 1000;
    f.server.on("/doc.pdf", {cut, http_response{200, body}});
    const auto r = fetch_to_file(f.url("/doc.pdf"), f.file, f.options());
    CHECK_FALSE(r.resumed);
    CHECK(read_text(f.file) == body);
    CHECK(r.sha256 == util::sha256_hex(body));
    CHECK(f.server.requests().at(1).header("range").empty());
}

TEST_CASE("http: a 206 that does not continue where the transfer broke starts over",
          "[net][http]") {
    fixture f;
    const std::string body = body_of(1000);
    http_response cut{200, body.substr(0, 400)};
    cut.declared_length = 1000;
    cut.ranges = true;
    const http_response wrong{206, body, {{"Content-Range", "bytes 0-999/1000"}}};
    f.server.on("/doc.pdf", {cut, wrong, http_response{200, body}});
    const auto r = fetch_to_file(f.url("/doc.pdf"), f.file, f.options());
    CHECK_FALSE(r.resumed);
    CHECK(r.attempts == 3);
    CHECK(read_text(f.file) == body);
    CHECK(r.sha256 == util::sha256_hex(body));
    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 3);
    CHECK(reqs[1].header("range") == "bytes=400-");
    CHECK(reqs[2].header("range").empty());
}

TEST_CASE("http: a failed fetch leaves the target file alone", "[net][http]") {
    fixture f;
    f.write_sentinel();
    auto o = f.options();
    o.retries = 1;
    SECTION("truncated every time") {
        http_response cut{200, body_of(400)};
        cut.declared_length = 1000;
        cut.ranges = true;
        f.server.on("/x", cut);
        const auto e = fetch_error(f.url("/x"), f.file, o);
        CHECK(e.curl_code() == CURLE_PARTIAL_FILE);
        CHECK_THAT(e.what(), Catch::Contains("after 2 attempts"));
    }
    SECTION("nothing listens") {
        const auto e = fetch_error("http://127.0.0.1:1/x", f.file, o);
        CHECK(e.curl_code() == CURLE_COULDNT_CONNECT);
        CHECK(e.status() == 0);
    }
    SECTION("a 403") {
        f.server.on("/x", http_response{403, "no"});
        CHECK(fetch_error(f.url("/x"), f.file, o).status() == 403);
    }
    CHECK(read_text(f.file) == "sentinel");
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: the progress callback sees the bytes arrive", "[net][http]") {
    fixture f;
    const std::string body = body_of(1000);
    http_response r{200, body};
    r.chunk_size = 100;
    r.chunk_delay_s = 0.12;
    f.server.on("/progress", r);
    std::vector<std::uint64_t> seen;
    std::vector<std::optional<std::uint64_t>> totals;
    auto o = f.options();
    o.progress = [&](std::uint64_t received, std::optional<std::uint64_t> total) {
        seen.push_back(received);
        totals.push_back(total);
    };
    fetch_to_file(f.url("/progress"), f.file, o);
    INFO(seen.size() << " calls");
    REQUIRE(seen.size() >= 3);
    CHECK(seen.size() <= 40);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(seen.front() < 1000);
    CHECK(seen.back() == 1000);
    for (const auto& t : totals)
        CHECK(t == std::optional<std::uint64_t>(1000));
}

TEST_CASE("http: an exception from the progress callback ends the fetch", "[net][http]") {
    fixture f;
    f.write_sentinel();
    http_response r{200, body_of(1000)};
    r.chunk_size = 100;
    r.chunk_delay_s = 0.05;
    f.server.on("/progress", r);
    auto o = f.options();
    o.progress = [](std::uint64_t, std::optional<std::uint64_t>) {
        throw std::runtime_error("cancelled");
    };
    CHECK_THROWS_WITH(fetch_to_file(f.url("/progress"), f.file, o), "cancelled");
    CHECK(f.server.request_count() == 1);
    CHECK(read_text(f.file) == "sentinel");
    CHECK_FALSE(std::filesystem::exists(f.part));
}

TEST_CASE("http: is_url takes http and https in any case", "[net][http]") {
    CHECK(net::is_url("http://example.com/a.csv"));
    CHECK(net::is_url("https://example.com"));
    CHECK(net::is_url("HTTPS://EXAMPLE.COM/"));
    CHECK(net::is_url("Http://x"));
    CHECK_FALSE(net::is_url("ftp://example.com/a.csv"));
    CHECK_FALSE(net::is_url("file:///tmp/a.csv"));
    CHECK_FALSE(net::is_url("data/http://x.csv"));
    CHECK_FALSE(net::is_url("http:/x"));
    CHECK_FALSE(net::is_url("records.csv"));
    CHECK_FALSE(net::is_url(""));
}

TEST_CASE("http: a URL that is not http or https is refused without a request", "[net][http]") {
    fixture f;
    const auto e = fetch_error("ftp://127.0.0.1/x", f.file, f.options());
    CHECK(e.curl_code() == CURLE_UNSUPPORTED_PROTOCOL);
    CHECK(f.server.request_count() == 0);
}
