#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include "test_support.hpp"

#include <fstream>
#include <string>

using namespace porchlight::util;

TEST_CASE("normalise_agency makes the usual spellings of one agency equal", "[util][text]") {
    SECTION("police department") {
        const auto key = normalise_agency("Smallville Police Department");
        CHECK(key == "smallville police department");
        CHECK(normalise_agency("Smallville PD") == key);
        CHECK(normalise_agency("Smallville Police Dept.") == key);
        CHECK(normalise_agency("Smallville Police Dept") == key);
        CHECK(normalise_agency("SMALLVILLE POLICE DEPARTMENT") == key);
        CHECK(normalise_agency("  Smallville   Police  Department ") == key);
        CHECK(normalise_agency("The Smallville Police Department") == key);
    }
    SECTION("sheriff's office") {
        const auto key = normalise_agency("Pine County Sheriff's Office");
        CHECK(key == "pine county sheriffs office");
        CHECK(normalise_agency("Pine County Sheriff Office") == key);
        CHECK(normalise_agency("Pine County Sheriffs Dept") == key);
        CHECK(normalise_agency("Pine County Sheriff's Department") == key);
        CHECK(normalise_agency("Pine County Sheriff") == key);
        CHECK(normalise_agency("Pine Co. Sheriff's Office") == key);
        // U+2019 RIGHT SINGLE QUOTATION MARK, as word processors write the apostrophe
        CHECK(normalise_agency("Pine County Sheriff\xE2\x80\x99s Office") == key);
    }
    SECTION("township and saint") {
        CHECK(normalise_agency("Washington Twp Police Department") ==
              normalise_agency("Washington Township Police Department"));
        CHECK(normalise_agency("Washington Twp. PD") ==
              normalise_agency("Washington Township Police Department"));
        CHECK(normalise_agency("St. Louis County Police") ==
              normalise_agency("Saint Louis County Police"));
        CHECK(normalise_agency("St. Louis County Police") == "saint louis county police");
    }
}

TEST_CASE("normalise_agency keeps different agencies apart", "[util][text]") {
    CHECK(normalise_agency("Smallville Police Department") !=
          normalise_agency("Smallton Police Department"));
    CHECK(normalise_agency("Pine County Sheriff's Office") !=
          normalise_agency("Oak County Sheriff's Office"));
    CHECK(normalise_agency("Washington Township Police Department") !=
          normalise_agency("Washington Police Department"));
    CHECK(normalise_agency("Smallville Police Department") !=
          normalise_agency("Smallville Fire Department"));
    // whole words only: "so" inside a word is not "sheriff's office"
    CHECK(normalise_agency("Sonoma Police Department") == "sonoma police department");
    CHECK(normalise_agency("Stanton PD") == "stanton police department");
}

TEST_CASE("normalise_words and normalise_place", "[util][text]") {
    CHECK(normalise_words("Sheriff's  Office!") == "sheriffs office");
    CHECK(normalise_words("A&B") == "a and b");
    CHECK(normalise_words("--Hello,World--") == "hello world");
    CHECK(normalise_words("") == "");
    CHECK(normalise_place("St. Louis") == normalise_place("Saint Louis"));
    CHECK(normalise_place("Washington Twp") == "washington township");
    CHECK(normalise_place("Mt. Pleasant") == "mount pleasant");
    CHECK(normalise_place("Springfield") != normalise_place("Springdale"));
}

TEST_CASE("state_code accepts codes and names in any case", "[util][text]") {
    CHECK(state_code("il") == std::optional<std::string>("IL"));
    CHECK(state_code("IL") == std::optional<std::string>("IL"));
    CHECK(state_code(" WI ") == std::optional<std::string>("WI"));
    CHECK(state_code("Illinois") == std::optional<std::string>("IL"));
    CHECK(state_code("new york") == std::optional<std::string>("NY"));
    CHECK(state_code("NEW YORK") == std::optional<std::string>("NY"));
    CHECK(state_code("Texas") == std::optional<std::string>("TX"));
    CHECK(state_code("District of Columbia") == std::optional<std::string>("DC"));
    CHECK(state_code("pr") == std::optional<std::string>("PR"));
    CHECK(state_code("Virgin Islands") == std::optional<std::string>("VI"));
}

TEST_CASE("state_code rejects what is not a US state or territory", "[util][text]") {
    CHECK_FALSE(state_code("NA").has_value());
    CHECK_FALSE(state_code("XX").has_value());
    CHECK_FALSE(state_code("").has_value());
    CHECK_FALSE(state_code("Ontario").has_value());
    CHECK_FALSE(state_code("New").has_value());
    CHECK_FALSE(state_code("I").has_value());
}

TEST_CASE("state_name is the inverse of state_code", "[util][text]") {
    CHECK(state_name("IL") == "Illinois");
    CHECK(state_name("NY") == "New York");
    CHECK(state_name("XX").empty());
    for (const char* code : {"AL", "OH", "WY", "DC", "GU"})
        CHECK(state_code(state_name(code)) == std::optional<std::string>(code));
}

TEST_CASE("invalid_utf8_offset finds the first bad byte", "[util][text]") {
    SECTION("valid text") {
        CHECK_FALSE(invalid_utf8_offset("").has_value());
        CHECK_FALSE(invalid_utf8_offset("plain ascii").has_value());
        CHECK_FALSE(invalid_utf8_offset("caf\xC3\xA9").has_value());          // é, 2 bytes
        CHECK_FALSE(invalid_utf8_offset("\xE2\x82\xAC 5").has_value());       // €, 3 bytes
        CHECK_FALSE(invalid_utf8_offset("\xF0\x9F\x98\x80!").has_value());    // U+1F600, 4 bytes
        CHECK_FALSE(invalid_utf8_offset("\xF4\x8F\xBF\xBF").has_value());     // U+10FFFF
    }
    SECTION("a byte that never starts a character") {
        CHECK(invalid_utf8_offset("Gr\xFFnhaven") == std::optional<std::size_t>(2));
        CHECK(invalid_utf8_offset("\x80") == std::optional<std::size_t>(0));
        CHECK(invalid_utf8_offset("ok\xC3\xA9\xBF") == std::optional<std::size_t>(4));
    }
    SECTION("a truncated sequence") {
        CHECK(invalid_utf8_offset("abc\xE2\x82") == std::optional<std::size_t>(3));
        CHECK(invalid_utf8_offset("abc\xC3") == std::optional<std::size_t>(3));
        // a lead byte followed by a non-continuation byte
        CHECK(invalid_utf8_offset("x\xC3y") == std::optional<std::size_t>(1));
    }
    SECTION("overlong forms") {
        CHECK(invalid_utf8_offset("a\xC0\xAF") == std::optional<std::size_t>(1));   // '/' in 2
        CHECK(invalid_utf8_offset("\xE0\x80\xAF") == std::optional<std::size_t>(0)); // '/' in 3
        CHECK(invalid_utf8_offset("\xF0\x80\x80\xAF") == std::optional<std::size_t>(0));
    }
    SECTION("surrogates and code points past U+10FFFF") {
        CHECK(invalid_utf8_offset("ab\xED\xA0\x80") == std::optional<std::size_t>(2)); // U+D800
        CHECK(invalid_utf8_offset("\xED\xBF\xBF") == std::optional<std::size_t>(0));   // U+DFFF
        CHECK(invalid_utf8_offset("\xF4\x90\x80\x80") == std::optional<std::size_t>(0)); // 0x110000
    }
}

TEST_CASE("edit_distance is the Levenshtein distance", "[util][text]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("", "abcd") == 4);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("sitting", "kitten") == 3);
    CHECK(edit_distance("flaw", "lawn") == 2);
    CHECK(edit_distance("ingest", "ingest") == 0);
    CHECK(edit_distance("ingets", "ingest") == 2);
    CHECK(edit_distance("atlas-of-surveilance", "atlas-of-surveillance") == 1);
}

TEST_CASE("append_json_string quotes and escapes", "[util][text]") {
    auto json = [](std::string_view s) {
        std::string out;
        append_json_string(out, s);
        return out;
    };
    CHECK(json("") == "\"\"");
    CHECK(json("plain") == "\"plain\"");
    CHECK(json("say \"hi\"") == "\"say \\\"hi\\\"\"");
    CHECK(json("C:\\dir") == "\"C:\\\\dir\"");
    CHECK(json("a\nb") == "\"a\\nb\"");
    CHECK(json("a\r\nb\tc") == "\"a\\r\\nb\\tc\"");
    CHECK(json(std::string_view("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
    CHECK(json(std::string_view("a\0b", 3)) == "\"a\\u0000b\"");
    // non-ASCII UTF-8 passes through as is
    CHECK(json("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
    // appends, does not replace
    std::string out = "[";
    append_json_string(out, "x");
    out += ',';
    append_json_string(out, "y");
    CHECK(out == "[\"x\",\"y\"");
}

TEST_CASE("trim, to_lower_ascii, split and pad_words", "[util][text]") {
    CHECK(trim("  a b \t\r\n") == "a b");
    CHECK(trim("") == "");
    CHECK(trim("   ") == "");
    CHECK(trim("x\xC2\xA0") == "x"); // trailing no-break space
    CHECK(to_lower_ascii("AbC\xC3\x89") == "abc\xC3\x89");
    CHECK(split("a,b,,c", ',') == std::vector<std::string>{"a", "b", "", "c"});
    CHECK(split("", ',') == std::vector<std::string>{""});
    CHECK(split("a,", ',') == std::vector<std::string>{"a", ""});
    CHECK(pad_words("a b") == " a b ");
}

TEST_CASE("sha256 of text and of a file", "[util][sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    Sha256 incremental;
    incremental.update("a");
    incremental.update("bc");
    CHECK(incremental.hex_digest() == sha256_hex("abc"));

    // the binary fixture's hash is documented in tests/data/records/README.md
    CHECK(sha256_file(porchlight::test::data_file("records/binary.csv")) ==
          "a1e2c35072b53d337bb0cb7e292e45f83036ba0c3bab2f5f17c9a5b0f62b6edf");

    porchlight::test::TempDir dir;
    CHECK_THROWS_AS(sha256_file(dir / "does-not-exist"), porchlight::error);
}

TEST_CASE("xml_escape writes markup characters as entities", "[util][text]") {
    const std::string markup = "<img src=x onerror=\"alert('1')\"> & co";
    SECTION("numeric apostrophe by default, for HTML and XML alike") {
        CHECK(xml_escape(markup) ==
              "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co");
    }
    SECTION("named apostrophe for XML and SVG") {
        CHECK(xml_escape(markup, xml_quotes::named) ==
              "&lt;img src=x onerror=&quot;alert(&apos;1&apos;)&quot;&gt; &amp; co");
    }
    SECTION("quotes kept for element text") {
        CHECK(xml_escape(markup, xml_quotes::kept) ==
              "&lt;img src=x onerror=\"alert('1')\"&gt; &amp; co");
    }
    SECTION("other text, UTF-8 included, is left as it is") {
        CHECK(xml_escape("Café – 10 km²") == "Café – 10 km²");
        CHECK(xml_escape("") == "");
    }
    SECTION("append_xml_escaped appends to what is there") {
        std::string out = "<b>";
        append_xml_escaped(out, "a&b");
        CHECK(out == "<b>a&amp;b");
    }
}

TEST_CASE("join puts the separator between the parts", "[util][text]") {
    CHECK(join({}, ", ").empty());
    CHECK(join({"a"}, ", ") == "a");
    CHECK(join({"a", "b", "c"}, "; ") == "a; b; c");
    CHECK(join({"a", "", "c"}, ", ") == "a, , c");
    // a separator only once something was written: leading empty parts leave no trace
    CHECK(join({"", "a", "b"}, ", ") == "a, b");
}
