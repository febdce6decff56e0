#include <porchlight/docs/document.hpp>

// The compressed-RTF and RTF readers are private to the .msg parser (lib/src/docs/detail/rtf.hpp).
#include "../../../lib/src/docs/detail/rtf.hpp"

#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace porchlight::docs;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) {
    return porchlight::test::read_text(porchlight::test::data_file("documents/msg/" + name));
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string meta(const document& doc, const std::string& key) {
    for (const auto& [k, v] : doc.metadata)
        if (k == key)
            return v;
    return {};
}

const message& only_message(const document& doc) {
    REQUIRE(doc.messages.size() == 1);
    return doc.messages.front();
}

std::string bytes(std::initializer_list<unsigned> values) {
    std::string s;
    for (const unsigned v : values)
        s += static_cast<char>(v);
    return s;
}

// MS-OXRTFCP 3.1.1: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n", compressed.
const std::string spec_example_1 =
    bytes({0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1,
           0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32,
           0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62,
           0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0});

// MS-OXRTFCP 3.1.2: "{\rtf1 WXYZWXYZWXYZWXYZWXYZ}", a reference that overlaps its output.
const std::string spec_example_2 = bytes(
    {0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b,
     0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0});

void set_le32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// parse_msg either reads the bytes or throws parse_error; nothing else.
void parses_or_refuses(const std::string& input, const limits& lim = {}) {
    try {
        const document doc = parse_msg(input, lim);
        CHECK(doc.kind == "msg");
        CHECK(doc.pages.size() == 1);
    } catch (const parse_error&) {
    }
}

void put_le(std::string& s, std::size_t at, std::uint64_t v, int size) {
    for (int i = 0; i < size; ++i)
        s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

enum class shape {
    chain,    ///< siblings, each the right sibling of the one before
    nested,   ///< storages, each the child of the one before
    balanced, ///< siblings in a balanced tree (entry i has 2i and 2i + 1 below it)
};

// A compound file (512-byte sectors) whose root holds `count` - 1 entries in `form`; `loop`
// links the last back to the first. Chains like these overflowed the stack of libgsf's
// recursive directory reader; wide storages take libgsf quadratic time.
std::string compound_file(std::uint32_t count, shape form, bool loop = false) {
    constexpr std::uint32_t end_of_chain = 0xFFFFFFFE, free_sector = 0xFFFFFFFF,
                            fat_sector = 0xFFFFFFFD, difat_sector = 0xFFFFFFFC,
                            no_entry = 0xFFFFFFFF;
    std::string dir;
    const auto entry = [&](const std::string& name, int type, std::uint32_t right,
                           std::uint32_t child) {
        std::string e(128, '\0');
        for (std::size_t i = 0; i < name.size(); ++i)
            e[2 * i] = name[i];
        put_le(e, 0x40, (name.size() + 1) * 2, 2);
        e[0x42] = static_cast<char>(type);
        e[0x43] = 1;
        put_le(e, 0x44, no_entry, 4);
        put_le(e, 0x48, right, 4);
        put_le(e, 0x4C, child, 4);
        put_le(e, 0x74, end_of_chain, 4);
        dir += e;
    };
    entry("Root Entry", 5, no_entry, 1);
    for (std::uint32_t i = 1; i < count; ++i) {
        const std::uint32_t next = i + 1 < count ? i + 1 : (loop ? 1 : no_entry);
        const std::string name = "__substg1.0_" + std::to_string(10000000 + i);
        if (form == shape::nested) {
            entry(name, 1, no_entry, next);
        } else if (form == shape::chain) {
            entry(name, 2, next, no_entry);
        } else {
            entry(name, 2, 2 * i + 1 < count ? 2 * i + 1 : no_entry, no_entry);
            put_le(dir, dir.size() - 128 + 0x44, 2 * i < count ? 2 * i : no_entry, 4);
        }
    }
    dir.resize((dir.size() + 511) / 512 * 512, '\0');
    const std::uint32_t dir_sectors = static_cast<std::uint32_t>(dir.size() / 512);
    std::uint32_t fat_sectors = 1, difat_sectors = 0;
    for (;; ++fat_sectors) {
        difat_sectors = fat_sectors <= 109 ? 0 : (fat_sectors - 109 + 126) / 127;
        if (fat_sectors * 128 >= dir_sectors + fat_sectors + difat_sectors)
            break;
    }
    std::vector<std::uint32_t> fat(fat_sectors, fat_sector);
    fat.insert(fat.end(), difat_sectors, difat_sector);
    const auto dir_start = static_cast<std::uint32_t>(fat.size());
    for (std::uint32_t i = 0; i < dir_sectors; ++i)
        fat.push_back(i + 1 < dir_sectors ? dir_start + i + 1 : end_of_chain);
    fat.resize(std::size_t{fat_sectors} * 128, free_sector);

    std::string header(512, '\0');
    header.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    put_le(header, 0x18, 0x3E, 2);
    put_le(header, 0x1A, 3, 2);
    put_le(header, 0x1C, 0xFFFE, 2);
    put_le(header, 0x1E, 9, 2);
    put_le(header, 0x20, 6, 2);
    put_le(header, 0x2C, fat_sectors, 4);
    put_le(header, 0x30, dir_start, 4);
    put_le(header, 0x38, 4096, 4);
    put_le(header, 0x3C, end_of_chain, 4);
    put_le(header, 0x44, difat_sectors > 0 ? fat_sectors : end_of_chain, 4);
    put_le(header, 0x48, difat_sectors, 4);
    for (std::uint32_t i = 0; i < 109; ++i)
        put_le(header, 0x4C + 4 * std::size_t{i}, i < fat_sectors ? i : free_sector, 4);
    std::string fat_bytes(fat.size() * 4, '\0');
    for (std::size_t i = 0; i < fat.size(); ++i)
        put_le(fat_bytes, 4 * i, fat[i], 4);
    std::string difat(std::size_t{difat_sectors} * 512, '\0');
    for (std::uint32_t k = 0; k < difat_sectors; ++k) {
        for (std::uint32_t j = 0; j < 127; ++j) {
            const std::uint32_t n = 109 + k * 127 + j;
            put_le(difat, k * 512 + 4 * std::size_t{j}, n < fat_sectors ? n : free_sector, 4);
        }
        put_le(difat, k * 512 + 508, k + 1 < difat_sectors ? fat_sectors + k + 1 : end_of_chain, 4);
    }
    return header + fat_bytes + difat + dir;
}

} // namespace

// ---------------------------------------------------------------------------------------
// real messages

TEST_CASE("msg: every Denver message parses") {
    const auto dir = porchlight::test::real_file("foia/denver");
    if (!dir)
        return;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(*dir))
        if (entry.path().extension() == ".msg")
            files.push_back(entry.path());
    CHECK(files.size() == 35);
    for (const auto& file : files) {
        INFO(file.filename().string());
        const document doc = parse_msg(porchlight::test::read_text(file), {});
        CHECK(doc.kind == "msg");
        CHECK(doc.mime_type == "application/vnd.ms-outlook");
        CHECK(doc.title.rfind("[EXTERNAL] ", 0) == 0);
        const message& m = only_message(doc);
        CHECK(m.header.subject == doc.title);
        CHECK(contains(m.header.from, "<no-reply@neighborhoods.ring.com>"));
        REQUIRE(m.header.to.size() == 1);
        CHECK(m.header.to[0] ==
              "DeStaffany, Layla - DPD SP1017 Commander <Layla.DeStaffany@denvergov.org>");
        CHECK(m.header.sent_utc.has_value());
        CHECK(m.header.sent_offset == "+00:00");
        CHECK(!m.header.message_id.empty());
        CHECK(m.body.size() > 500);
        CHECK(meta(doc, "body_source") == "html");
        CHECK(meta(doc, "message_class") == "IPM.Note");
        CHECK(meta(doc, "attachments") == "0");
        REQUIRE(doc.pages.size() == 1);
        CHECK(doc.pages[0].text.rfind("From: ", 0) == 0);
        CHECK(contains(doc.pages[0].text, "Ring LLC"));
        CHECK(doc.children.empty());
        CHECK(doc.warnings.empty());
    }
}

TEST_CASE("msg: the Launching Today notice reads as Outlook shows it") {
    const auto file =
        porchlight::test::real_file("foia/denver/[EXTERNAL] Launching Today_3A Request for.msg");
    if (!file)
        return;
    const document doc = parse_msg(porchlight::test::read_text(*file), {});
    const message& m = only_message(doc);
    CHECK(doc.title == "[EXTERNAL] Launching Today: Request for Assistance Posts");
    CHECK(m.header.subject == "[EXTERNAL] Launching Today: Request for Assistance Posts");
    CHECK(m.header.from == "The Neighbors Team <no-reply@neighborhoods.ring.com>");
    CHECK(m.header.to == std::vector<std::string>{"DeStaffany, Layla - DPD SP1017 Commander "
                                                  "<Layla.DeStaffany@denvergov.org>"});
    CHECK(m.header.cc.empty());
    CHECK(m.header.sent_utc == "2021-06-08T16:30:19Z");
    CHECK(m.header.sent_offset == "+00:00");
    CHECK(m.header.sent_local == "2021-06-08T16:30:19");
    CHECK(m.header.date_raw == "Tue, 08 Jun 2021 16:30:19 +0000 (UTC)");
    CHECK(m.header.message_id == "w3dD3Lc8Q5WgZWrqFMYxoQ@ismtpd0156p1mdw1.sendgrid.net");
    CHECK(contains(m.body, "Starting today, you will see a new post category called"));
    CHECK(contains(m.body, "Video Requests have been discontinued."));
    CHECK(contains(m.body, "All posts will require a valid case number."));
    CHECK(!contains(m.body, "<td"));
    CHECK(!contains(m.body, "ExternalClass")); // the <style> is not text
    CHECK(meta(doc, "body_source") == "html");
    CHECK(meta(doc, "codepage") == "1252");
    const std::string& page = doc.pages.at(0).text;
    CHECK(page.rfind("From: The Neighbors Team <no-reply@neighborhoods.ring.com>\n"
                     "To: DeStaffany, Layla - DPD SP1017 Commander "
                     "<Layla.DeStaffany@denvergov.org>\n"
                     "Sent: Tue, 08 Jun 2021 16:30:19 +0000 (UTC)\n"
                     "Subject: [EXTERNAL] Launching Today: Request for Assistance Posts\n\n",
                     0) == 0);
    CHECK(contains(page, "Video Requests have been discontinued."));
}

TEST_CASE("msg: a Resident Posted a Crime Incident notice") {
    const auto file =
        porchlight::test::real_file("foia/denver/[EXTERNAL] A Resident Posted a Cri.msg");
    if (!file)
        return;
    const document doc = parse_msg(porchlight::test::read_text(*file), {});
    const message& m = only_message(doc);
    CHECK(m.header.subject == "[EXTERNAL] A Resident Posted a Crime Incident");
    CHECK(m.header.from == "Ring Team <no-reply@neighborhoods.ring.com>");
    CHECK(m.header.to == std::vector<std::string>{"DeStaffany, Layla - DPD SP1017 Commander "
                                                  "<Layla.DeStaffany@denvergov.org>"});
    CHECK(m.header.sent_utc == "2021-02-09T16:22:35Z");
    CHECK(m.header.date_raw == "Tue, 09 Feb 2021 16:22:35 +0000 (UTC)");
    CHECK(m.header.message_id == "tQwQd4jTSyqeoNfP6adO1A@ismtpd0089p1iad2.sendgrid.net");
    CHECK(contains(m.body, "Porch pirate"));
    CHECK(contains(m.body, "A resident in your area just posted a crime incident"));
    CHECK(contains(m.body, "trendy wall mounted coat rack"));
}

TEST_CASE("msg: a truncated or damaged real message is refused or read, never crashes") {
    const auto file =
        porchlight::test::real_file("foia/denver/[EXTERNAL] A Resident Posted a Cri (1).msg");
    if (!file)
        return;
    const std::string whole = porchlight::test::read_text(*file);
    for (const std::size_t size :
         {std::size_t{0}, std::size_t{8}, std::size_t{511}, std::size_t{512}, std::size_t{4096},
          whole.size() / 2, whole.size() - 512, whole.size() - 1})
        parses_or_refuses(whole.substr(0, size));
    CHECK_THROWS_AS(parse_msg(whole.substr(0, 4096), {}), parse_error);
}

// ---------------------------------------------------------------------------------------
// a synthetic message: PT_STRING8 in windows-1252, an RTF-only body, attachments

TEST_CASE("msg: 8-bit strings in the message code page and a compressed RTF body") {
    const document doc = parse_msg(fixture("synthetic.msg"), {});
    const message& m = only_message(doc);
    CHECK(doc.title == "Caf\u00e9 budget \u2013 r\u00e9sum\u00e9");
    CHECK(m.header.subject == doc.title);
    // PR_SENDER_EMAIL_ADDRESS is an Exchange address: PR_SENDER_SMTP_ADDRESS is taken
    CHECK(m.header.from == "Zo\u00eb Example <zoe@example.org>");
    // a recipient known only by an Exchange address keeps its name
    CHECK(m.header.to == std::vector<std::string>{"Bob Smith <bob@example.org>", "Dave Exchange"});
    CHECK(m.header.cc == std::vector<std::string>{"Carol, Jones <carol@example.org>"});
    CHECK(m.header.bcc.empty());
    CHECK(m.header.sent_utc == "2021-03-15T15:30:00Z");
    CHECK(m.header.sent_offset == "-06:00");
    CHECK(m.header.sent_local == "2021-03-15T09:30:00");
    CHECK(m.header.date_raw == "Mon, 15 Mar 2021 09:30:00 -0600");
    CHECK(m.header.message_id == "abc123@mail.example.org");
    CHECK(m.header.in_reply_to == "parent42@mail.example.org");
    CHECK(m.body == "Dear team,\nThe caf\u00e9 budget is \u20ac12 for the r\u00e9sum\u00e9 "
                    "workshop.\nThanks\tZo\u00eb");
    CHECK(meta(doc, "body_source") == "rtf");
    CHECK(meta(doc, "codepage") == "1252");
    CHECK(meta(doc, "message_class") == "IPM.Note");
    CHECK(meta(doc, "attachments") == "2");
    CHECK(doc.pages.at(0).text == "From: Zo\u00eb Example <zoe@example.org>\n"
                                  "To: Bob Smith <bob@example.org>; Dave Exchange\n"
                                  "Cc: Carol, Jones <carol@example.org>\n"
                                  "Sent: Mon, 15 Mar 2021 09:30:00 -0600\n"
                                  "Subject: Caf\u00e9 budget \u2013 r\u00e9sum\u00e9\n\n" +
                                      m.body);
    CHECK(doc.warnings.empty());
}

TEST_CASE("msg: attachments become children, an embedded message as RFC 822 text") {
    const document doc = parse_msg(fixture("synthetic.msg"), {});
    REQUIRE(doc.children.size() == 2);
    CHECK(doc.children[0].name == "notes.txt");
    CHECK(doc.children[0].mime_type == "text/plain");
    CHECK(doc.children[0].bytes == "hello from the attachment\n");

    const embedded& inner = doc.children[1];
    CHECK(inner.name == "Forwarded note.eml");
    CHECK(inner.mime_type == "message/rfc822");
    CHECK(contains(inner.bytes, "From: Inner Sender <inner@example.org>\r\n"));
    CHECK(contains(inner.bytes, "To: Bob Smith <bob@example.org>\r\n"));
    CHECK(contains(inner.bytes, "Date: Sun, 14 Mar 2021 15:30:00 +0000\r\n"));
    CHECK(contains(inner.bytes, "Inner body line one.\r\nInner body line two."));
    CHECK(contains(inner.bytes, "filename=\"inner.csv\""));

    // the rendering is an e-mail the .eml parser reads, its own attachment included
    const document eml = parse_eml(inner.bytes, {});
    REQUIRE(eml.messages.size() == 1);
    const email_header& h = eml.messages[0].header;
    CHECK(h.from == "Inner Sender <inner@example.org>");
    CHECK(h.subject == "Inner \u00fcn\u00efcode subject");
    CHECK(h.sent_utc == "2021-03-14T15:30:00Z");
    CHECK(contains(eml.messages[0].body, "Inner body line two."));
    REQUIRE(eml.children.size() == 1);
    CHECK(eml.children[0].name == "inner.csv");
    CHECK(eml.children[0].bytes == "a,b\n1,2\n");
}

TEST_CASE("msg: limits on entries, depth, text and size") {
    const std::string msg = fixture("synthetic.msg");
    limits lim;
    lim.max_entries = 1; // three recipients, two attachments
    CHECK_THROWS_AS(parse_msg(msg, lim), limit_error);
    lim = {};
    lim.max_depth = 0; // the embedded message is one level down
    CHECK_THROWS_AS(parse_msg(msg, lim), limit_error);
    lim = {};
    lim.max_depth = 1;
    CHECK_NOTHROW(parse_msg(msg, lim));
    lim = {};
    lim.max_text_bytes = 40;
    CHECK_THROWS_AS(parse_msg(msg, lim), limit_error);
    lim = {};
    lim.max_document_bytes = msg.size() - 1;
    CHECK_THROWS_AS(parse_msg(msg, lim), limit_error);
}

// ---------------------------------------------------------------------------------------
// inputs that are not messages

TEST_CASE("msg: a compound file that is not a message (.doc, .xls) is refused") {
    try {
        parse_msg(fixture("not-a-message.doc"), {});
        FAIL("a .doc-like compound file was read as a message");
    } catch (const parse_error& e) {
        CHECK(contains(e.what(), "not an Outlook message"));
    }
}

TEST_CASE("msg: bytes that are not a compound file are refused with libgsf's reason") {
    CHECK_THROWS_AS(parse_msg("", {}), parse_error);
    CHECK_THROWS_AS(parse_msg("From: a@example.org\r\n\r\nhello", {}), parse_error);
    try {
        parse_msg(std::string(1024, 'x'), {});
        FAIL("not refused");
    } catch (const parse_error& e) {
        CHECK(contains(e.what(), "OLE2"));
    }
}

TEST_CASE("msg: truncated compound files, random bytes after the OLE2 magic, bit flips") {
    const std::string msg = fixture("synthetic.msg");
    for (std::size_t size = 0; size < msg.size(); size += 97)
        parses_or_refuses(msg.substr(0, size));

    std::mt19937 rng(20240601);
    std::uniform_int_distribution<int> byte(0, 255);
    const std::string magic = bytes({0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1});
    for (int round = 0; round < 200; ++round) {
        std::string noise = magic;
        const std::size_t size = 512 + static_cast<std::size_t>(round) * 37;
        while (noise.size() < size)
            noise += static_cast<char>(byte(rng));
        if (round % 2 == 0) { // a plausible header: 512-byte sectors, 64-byte mini sectors
            noise[0x1A] = 0x3E;
            noise[0x1C] = static_cast<char>(0xFE);
            noise[0x1D] = static_cast<char>(0xFF);
            noise[0x1E] = 0x09;
            noise[0x1F] = 0x00;
            noise[0x20] = 0x06;
            noise[0x21] = 0x00;
        }
        parses_or_refuses(noise);
    }

    std::uniform_int_distribution<std::size_t> where(0, msg.size() - 1);
    for (int round = 0; round < 1000; ++round) {
        std::string damaged = msg;
        for (int k = 0; k < 1 + round % 8; ++k)
            damaged[where(rng)] = static_cast<char>(byte(rng));
        parses_or_refuses(damaged);
    }
}

TEST_CASE("msg: a hostile compound-file directory is refused before libgsf recurses into it") {
    for (const shape form : {shape::chain, shape::nested}) {
        INFO((form == shape::nested ? "nested storages" : "a chain of siblings"));
        // 60,000 entries (7.7 MB) took libgsf 60,000 stack frames deep
        try {
            parse_msg(compound_file(60000, form), {});
            FAIL("not refused");
        } catch (const parse_error& e) {
            CHECK(contains(e.what(), "too deep"));
        }
        // a short chain is an ordinary (if odd) file: read
        const document doc = parse_msg(compound_file(50, form), {});
        CHECK(doc.kind == "msg");
        // links that loop back
        parses_or_refuses(compound_file(50, form, true));
    }
    // 80,000 entries in one storage took libgsf minutes to sort and list
    try {
        parse_msg(compound_file(80000, shape::balanced), {});
        FAIL("not refused");
    } catch (const parse_error& e) {
        CHECK(contains(e.what(), "too many entries"));
    }
    CHECK(parse_msg(compound_file(2000, shape::balanced), {}).kind == "msg");
}

// ---------------------------------------------------------------------------------------
// MS-OXRTFCP

TEST_CASE("msg: LZFu decompression of the MS-OXRTFCP examples") {
    CHECK(rtf::crc32(spec_example_1.substr(16)) == 0xA7C7C5F1u);
    CHECK(rtf::crc32("") == 0u);
    CHECK(rtf::decompress(spec_example_1, 1 << 20) ==
          "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
    CHECK(rtf::decompress(spec_example_2, 1 << 20) == "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}");
    const auto text = rtf::to_text(rtf::decompress(spec_example_1, 1 << 20), 1 << 20);
    CHECK(text.text == "hello world");
    CHECK(!text.from_html);
}

TEST_CASE("msg: stored (MELA) compressed RTF") {
    const std::string rtf = "{\\rtf1\\ansi\\ansicpg1252\\pard test}";
    std::string stored = bytes({0, 0, 0, 0, 0, 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0}) + rtf;
    set_le32(stored, 0, static_cast<std::uint32_t>(stored.size() - 4));
    set_le32(stored, 4, static_cast<std::uint32_t>(rtf.size()));
    CHECK(rtf::decompress(stored, 1 << 20) == rtf);
    set_le32(stored, 4, static_cast<std::uint32_t>(rtf.size() + 1)); // more than is stored
    CHECK_THROWS_AS(rtf::decompress(stored, 1 << 20), parse_error);
}

TEST_CASE("msg: corrupt compressed RTF is refused, never over-read or over-allocated") {
    using rtf::decompress;
    SECTION("a header cut short") {
        CHECK_THROWS_AS(decompress("", 1 << 20), parse_error);
        CHECK_THROWS_AS(decompress(spec_example_1.substr(0, 15), 1 << 20), parse_error);
    }
    SECTION("bad CRC") {
        std::string bad = spec_example_1;
        bad[20] = static_cast<char>(bad[20] ^ 0x01);
        CHECK_THROWS_WITH(decompress(bad, 1 << 20), Catch::Contains("CRC"));
        bad = spec_example_1;
        set_le32(bad, 12, 0x12345678);
        CHECK_THROWS_AS(decompress(bad, 1 << 20), parse_error);
    }
    SECTION("the output size lies") {
        std::string bad = spec_example_1;
        set_le32(bad, 4, 44); // one byte more than the data makes
        CHECK_THROWS_AS(decompress(bad, 1 << 20), parse_error);
        set_le32(bad, 4, 20); // fewer
        CHECK_THROWS_AS(decompress(bad, 1 << 20), parse_error);
        set_le32(bad, 4, 0xFFFFFFF0u); // huge: refused before any allocation
        CHECK_THROWS_AS(decompress(bad, std::uint64_t{1} << 40), parse_error);
        CHECK_THROWS_AS(decompress(bad, 1 << 20), limit_error);
    }
    SECTION("truncated data") {
        CHECK_THROWS_AS(decompress(spec_example_1.substr(0, spec_example_1.size() - 1), 1 << 20),
                        parse_error);
        std::string bad = spec_example_1;
        set_le32(bad, 0, 0xFFFFFFF0u); // COMPSIZE past the end
        CHECK_THROWS_AS(decompress(bad, 1 << 20), parse_error);
        set_le32(bad, 0, 4); // COMPSIZE inside the header
        CHECK_THROWS_AS(decompress(bad, 1 << 20), parse_error);
    }
    SECTION("a reference cut off, with a matching CRC") {
        // control byte: first token is a reference, but only one of its two bytes is there
        std::string data = bytes({0x01, 0x12});
        std::string bad = bytes({0, 0, 0, 0, 4, 0, 0, 0, 'L', 'Z', 'F', 'u', 0, 0, 0, 0}) + data;
        set_le32(bad, 0, static_cast<std::uint32_t>(bad.size() - 4));
        set_le32(bad, 12, rtf::crc32(data));
        CHECK_THROWS_WITH(decompress(bad, 1 << 20), Catch::Contains("cut off"));
    }
    SECTION("an unknown compression type") {
        std::string bad = spec_example_1;
        bad[8] = 'X';
        CHECK_THROWS_AS(decompress(bad, 1 << 20), parse_error);
    }
    SECTION("past the text limit") {
        CHECK_THROWS_AS(decompress(spec_example_1, 42), limit_error);
        CHECK_NOTHROW(decompress(spec_example_1, 43));
    }
    SECTION("random bytes behind a valid header") {
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> byte(0, 255);
        for (int round = 0; round < 500; ++round) {
            std::string data;
            for (int k = 0; k < 1 + round; ++k)
                data += static_cast<char>(byte(rng));
            std::string input =
                bytes({0, 0, 0, 0, 0, 0, 0, 0, 'L', 'Z', 'F', 'u', 0, 0, 0, 0}) + data;
            set_le32(input, 0, static_cast<std::uint32_t>(input.size() - 4));
            set_le32(input, 4, static_cast<std::uint32_t>(byte(rng) * 8));
            set_le32(input, 12, rtf::crc32(data));
            try {
                const std::string out = decompress(input, 1 << 16);
                CHECK(out.size() <= data.size() * 8 + 8);
            } catch (const parse_error&) {
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// RTF to text

TEST_CASE("msg: RTF to text: destinations, code pages, Unicode, fields") {
    const std::string rtf =
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 Arial;}"
        "{\\f1\\fnil\\fcharset204 Times;}{\\f2\\fnil\\fcharset128 MS Gothic;}}"
        "{\\colortbl ;\\red255\\green0\\blue0;}{\\stylesheet{\\s0 Normal;}}"
        "{\\info{\\author Someone}{\\title Hidden title}}\n"
        "\\pard\\f0 Line one\\line line two\\par\n"
        "{\\f1 \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2}\\par\n"
        "{\\f2 \\'93\\'fa\\'96\\'7b}\\par\n"
        "\\uc2 A\\u8364\\'80\\'80 B\\uc1\\par\n"
        "{\\*\\ignoreme secret}{\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt link "
        "text}}\\par\n"
        "Tab\\tab end\\'21\\{braces\\}\\\\\\par\n"
        "\\u-10179?\\u-8704? smile\\par\n"
        "{\\pict\\wmetafile8 0a0b0c0d}\\bin3 {}}after\\par\n"
        "}trailing junk";
    const auto result = rtf::to_text(rtf, 1 << 20);
    CHECK(!result.from_html);
    CHECK(result.text == "Line one\nline two\n"
                         "\u041f\u0440\u0438\u0432\u0435\u0442\n" // cp1251 via \fcharset204
                         "\u65e5\u672c\n"                         // cp932 via \fcharset128
                         "A\u20ac B\n"
                         "link text\n"
                         "Tab\tend!{braces}\\\n"
                         "\U0001F600 smile\n"
                         "after");
}

TEST_CASE("msg: RTF with encapsulated HTML (fromhtml1) is read as HTML") {
    const std::string rtf =
        "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}"
        "{\\f1\\fmodern Courier New;}}\r\n"
        "{\\*\\htmltag19 <html>}{\\*\\htmltag34 <head>}{\\*\\htmltag161 <title>}Budget"
        "{\\*\\htmltag169 </title>}{\\*\\htmltag41 </head>}\r\n"
        "{\\*\\htmltag50 <body>}\\htmlrtf {\\htmlrtf0 {\\*\\htmltag64 <p>}\\htmlrtf "
        "{\\htmlrtf0 Caf\\'e9 costs \\u8364?5\\htmlrtf\\par\\htmlrtf0 }"
        "{\\*\\htmltag72 </p>}\\htmlrtf }\\htmlrtf0 \r\n"
        "{\\*\\htmltag64 <p>}Second &amp; last{\\*\\htmltag72 </p>}\r\n"
        "{\\*\\htmltag58 </body>}{\\*\\htmltag27 </html>}}";
    const std::string html = rtf::encapsulated_html(rtf, 1 << 20);
    CHECK(contains(html, "<p>Caf\u00e9 costs \u20ac5</p>"));
    CHECK(contains(html, "<p>Second &amp; last</p>"));
    CHECK(!contains(html, "Arial"));
    const auto result = rtf::to_text(rtf, 1 << 20);
    CHECK(result.from_html);
    CHECK(contains(result.text, "Caf\u00e9 costs \u20ac5"));
    CHECK(contains(result.text, "Second & last"));
    CHECK(!contains(result.text, "<p>"));
    CHECK(rtf::encapsulated_html("{\\rtf1\\ansi plain}", 1 << 20).empty());
}

TEST_CASE("msg: hostile RTF: deep nesting, unbalanced groups, long words, the text limit") {
    const std::string deep =
        "{\\rtf1 " + std::string(1'000'000, '{') + "deep" + std::string(1'000'000, '}') + "}";
    CHECK(rtf::to_text(deep, 1 << 20).text == "deep");
    CHECK(rtf::to_text("{\\rtf1 open " + std::string(1000, '{'), 1 << 20).text == "open");
    CHECK(rtf::to_text("}}}{\\rtf1 x}", 1 << 20).text == "x");
    CHECK(
        rtf::to_text("{\\rtf1 \\" + std::string(10000, 'a') + "99999999999999 y}", 1 << 20).text ==
        "y");
    CHECK(rtf::to_text("{\\rtf1 \\u99999999999 \\'zz \\bin999999999 z}", 1 << 20).text.size() < 8);
    CHECK_THROWS_AS(rtf::to_text("{\\rtf1 " + std::string(100, 'x') + "}", 50), limit_error);
}
