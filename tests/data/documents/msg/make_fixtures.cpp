// Writes the .msg test fixtures of this folder with libgsf's compound-file writer. Not part
// of the build (the files it writes are checked in); to regenerate them:
//
//   g++ -std=c++20 make_fixtures.cpp $(pkg-config --cflags --libs libgsf-1) -o /tmp/make_fixtures
//   /tmp/make_fixtures tests/data/documents/msg
//
// synthetic.msg   a message whose 8-bit strings are windows-1252 (PT_STRING8, code page
//                 1252), whose only body is compressed RTF (LZFu), with three recipients
//                 (To with SMTP, Cc with an SMTP PR_EMAIL_ADDRESS, To with only an Exchange
//                 address), transport headers with a Date: at -0600, a file attachment and an
//                 embedded message (PT_UNICODE strings, plain body, its own attachment)
// not-a-message.doc  a compound file with Word's streams and no message properties

#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

GsfOutfile* fail(const char* what) {
    std::fprintf(stderr, "make_fixtures: %s\n", what);
    std::exit(1);
}

void put_stream(GsfOutfile* dir, const std::string& name, std::string_view bytes) {
    GsfOutput* child = gsf_outfile_new_child(dir, name.c_str(), FALSE);
    if (child == nullptr)
        fail("cannot create a stream");
    if (!bytes.empty())
        gsf_output_write(child, bytes.size(), reinterpret_cast<const guint8*>(bytes.data()));
    gsf_output_close(child);
    g_object_unref(child);
}

GsfOutfile* new_storage(GsfOutfile* dir, const std::string& name) {
    GsfOutput* child = gsf_outfile_new_child(dir, name.c_str(), TRUE);
    if (child == nullptr)
        fail("cannot create a storage");
    return GSF_OUTFILE(child);
}

void close_storage(GsfOutfile* dir) {
    gsf_output_close(GSF_OUTPUT(dir));
    g_object_unref(dir);
}

std::string hex4(unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", v & 0xFFFF);
    return buf;
}

std::string substg(unsigned id, unsigned type) {
    return "__substg1.0_" + hex4(id) + hex4(type);
}

// UTF-8 to UTF-16LE with the terminating NUL that Outlook writes.
std::string utf16(std::string_view utf8) {
    gsize written = 0;
    gchar* out = g_convert(utf8.data(), static_cast<gssize>(utf8.size()), "UTF-16LE", "UTF-8",
                           nullptr, &written, nullptr);
    if (out == nullptr)
        fail("g_convert");
    std::string s(out, written);
    g_free(out);
    return s + std::string(2, '\0');
}

void le(std::string& s, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// __properties_version1.0 with a header of header_size bytes and fixed-size entries.
struct fixed_prop {
    unsigned id, type;
    std::uint64_t value;
};
std::string properties(std::size_t header_size, std::initializer_list<fixed_prop> props) {
    std::string s(header_size, '\0');
    for (const auto& p : props) {
        le(s, (std::uint64_t{p.id} << 16) | p.type, 4);
        le(s, 6, 4); // PROPATTR_READABLE | PROPATTR_WRITABLE
        le(s, p.value, 8);
    }
    return s;
}

std::uint64_t filetime(std::int64_t unix_seconds) {
    return static_cast<std::uint64_t>(unix_seconds + 11644473600LL) * 10000000ULL;
}

// MS-OXRTFCP compression (greedy, no overlapping references), for the fixture only.
std::string compress_rtf(std::string_view rtf) {
    static constexpr std::string_view prebuffer =
        "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
        "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0"
        "\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
    std::array<char, 4096> dict{};
    for (std::size_t i = 0; i < prebuffer.size(); ++i)
        dict[i] = prebuffer[i];
    std::size_t write = prebuffer.size();
    std::string data;
    std::size_t in = 0;
    bool ended = false;
    while (!ended) {
        const std::size_t control_at = data.size();
        data += '\0';
        unsigned control = 0;
        for (int bit = 0; bit < 8; ++bit) {
            if (in >= rtf.size()) {
                control |= 1u << bit;
                const unsigned ref = static_cast<unsigned>(write) << 4;
                data += static_cast<char>(ref >> 8);
                data += static_cast<char>(ref & 0xFF);
                ended = true;
                break;
            }
            std::size_t best_len = 0, best_off = 0;
            for (std::size_t off = 0; off < dict.size(); ++off) {
                const std::size_t distance = (write + dict.size() - off) % dict.size();
                std::size_t len = 0;
                while (len < 17 && len < distance && in + len < rtf.size() &&
                       dict[(off + len) % dict.size()] == rtf[in + len])
                    ++len;
                if (len > best_len) {
                    best_len = len;
                    best_off = off;
                }
            }
            if (best_len >= 2) {
                control |= 1u << bit;
                const unsigned ref = static_cast<unsigned>(best_off << 4 | (best_len - 2));
                data += static_cast<char>(ref >> 8);
                data += static_cast<char>(ref & 0xFF);
            } else {
                best_len = 1;
                data += rtf[in];
            }
            for (std::size_t k = 0; k < best_len; ++k) {
                dict[write] = rtf[in++];
                write = (write + 1) % dict.size();
            }
        }
        data[control_at] = static_cast<char>(control);
    }
    std::uint32_t crc = 0;
    for (const char ch : data) {
        std::uint32_t c = (crc ^ static_cast<unsigned char>(ch)) & 0xFF;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc = c ^ (crc >> 8);
    }
    std::string out;
    le(out, data.size() + 12, 4);
    le(out, rtf.size(), 4);
    out += "LZFu";
    le(out, crc, 4);
    return out + data;
}

constexpr unsigned pt_long = 0x0003, pt_object = 0x000D, pt_string8 = 0x001E, pt_unicode = 0x001F,
                   pt_systime = 0x0040, pt_binary = 0x0102;

void recipient(GsfOutfile* parent, int index, unsigned type, std::string_view name,
               std::string_view address, std::string_view addrtype, bool smtp_prop, bool unicode) {
    char storage_name[40];
    std::snprintf(storage_name, sizeof storage_name, "__recip_version1.0_#%08X", index);
    GsfOutfile* r = new_storage(parent, storage_name);
    const unsigned string_type = unicode ? pt_unicode : pt_string8;
    const auto text = [&](std::string_view s) { return unicode ? utf16(s) : std::string(s); };
    put_stream(r, substg(0x3001, string_type), text(name));
    put_stream(r, substg(0x3002, string_type), text(addrtype));
    put_stream(r, substg(smtp_prop ? 0x39FE : 0x3003, string_type), text(address));
    put_stream(r, "__properties_version1.0", properties(8, {{0x0C15, pt_long, type}}));
    close_storage(r);
}

void write_synthetic(const std::string& path) {
    GError* err = nullptr;
    GsfOutput* file = gsf_output_stdio_new(path.c_str(), &err);
    if (file == nullptr)
        fail("cannot write synthetic.msg");
    GsfOutfile* root = gsf_outfile_msole_new(file);

    // windows-1252: e9 = é, 96 = en dash, eb = ë
    put_stream(root, substg(0x001A, pt_string8), "IPM.Note");
    put_stream(root, substg(0x0037, pt_string8), "Caf\xe9 budget \x96 r\xe9sum\xe9");
    put_stream(root, substg(0x0C1A, pt_string8), "Zo\xeb Example");
    put_stream(root, substg(0x0C1E, pt_string8), "EX");
    put_stream(root, substg(0x0C1F, pt_string8),
               "/O=EXAMPLE/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=ZOE");
    put_stream(root, substg(0x5D01, pt_string8), "zoe@example.org");
    put_stream(root, substg(0x1035, pt_string8), "<abc123@mail.example.org>");
    put_stream(root, substg(0x1042, pt_string8), "<parent42@mail.example.org>");
    put_stream(root, substg(0x007D, pt_string8),
               "Received: from mail.example.org by mx.example.net; Mon, 15 Mar 2021 "
               "09:30:05 -0600\r\nDate: Mon, 15 Mar 2021 09:30:00 -0600\r\nFrom: "
               "=?windows-1252?Q?Zo=EB_Example?= <zoe@example.org>\r\nSubject: test\r\n\r\n");
    put_stream(root, substg(0x1009, pt_binary),
               compress_rtf("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
                            "{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator Fixture 1.0;}"
                            "\\viewkind4\\uc1\\pard\\f0\\fs20 Dear team,\\par The caf\\'e9 "
                            "budget is \\u8364?12 for the r\\'e9sum\\'e9 workshop.\\par "
                            "{\\*\\unknowndestination hidden words}Thanks\\tab Zo\\'eb\\par }"));
    // 2021-03-15T15:30:00Z
    put_stream(root, "__properties_version1.0",
               properties(32, {{0x3FFD, pt_long, 1252},
                               {0x0039, pt_systime, filetime(1615822200)},
                               {0x0E06, pt_systime, filetime(1615822205)}}));

    recipient(root, 0, 1, "Bob Smith", "bob@example.org", "SMTP", true, false);
    recipient(root, 1, 2, "Carol, Jones", "carol@example.org", "SMTP", false, false);
    recipient(root, 2, 1, "Dave Exchange", "/O=EXAMPLE/OU=EXCHANGE/CN=RECIPIENTS/CN=DAVE", "EX",
              false, false);

    GsfOutfile* a0 = new_storage(root, "__attach_version1.0_#00000000");
    put_stream(a0, substg(0x3707, pt_string8), "notes.txt");
    put_stream(a0, substg(0x3704, pt_string8), "notes~1.txt");
    put_stream(a0, substg(0x370E, pt_string8), "text/plain");
    put_stream(a0, substg(0x3701, pt_binary), "hello from the attachment\n");
    put_stream(a0, "__properties_version1.0", properties(8, {{0x3705, pt_long, 1}}));
    close_storage(a0);

    GsfOutfile* a1 = new_storage(root, "__attach_version1.0_#00000001");
    put_stream(a1, substg(0x3001, pt_string8), "Forwarded note");
    put_stream(a1, "__properties_version1.0", properties(8, {{0x3705, pt_long, 5}}));
    GsfOutfile* inner = new_storage(a1, substg(0x3701, pt_object));
    put_stream(inner, substg(0x001A, pt_unicode), utf16("IPM.Note"));
    put_stream(inner, substg(0x0037, pt_unicode), utf16("Inner \u00fcn\u00efcode subject"));
    put_stream(inner, substg(0x0C1A, pt_unicode), utf16("Inner Sender"));
    put_stream(inner, substg(0x5D01, pt_unicode), utf16("inner@example.org"));
    put_stream(inner, substg(0x1000, pt_unicode),
               utf16("Inner body line one.\r\nInner body line two.\r\n"));
    put_stream(
        inner, "__properties_version1.0",
        properties(24, {{0x0039, pt_systime, filetime(1615735800)}})); // 2021-03-14T15:30:00Z
    recipient(inner, 0, 1, "Bob Smith", "bob@example.org", "SMTP", true, true);
    GsfOutfile* ia = new_storage(inner, "__attach_version1.0_#00000000");
    put_stream(ia, substg(0x3707, pt_unicode), utf16("inner.csv"));
    put_stream(ia, substg(0x370E, pt_unicode), utf16("text/csv"));
    put_stream(ia, substg(0x3701, pt_binary), "a,b\n1,2\n");
    put_stream(ia, "__properties_version1.0", properties(8, {{0x3705, pt_long, 1}}));
    close_storage(ia);
    close_storage(inner);
    close_storage(a1);

    gsf_output_close(GSF_OUTPUT(root)); // closes `file` too
    g_object_unref(root);
    g_object_unref(file);
}

void write_not_a_message(const std::string& path) {
    GError* err = nullptr;
    GsfOutput* file = gsf_output_stdio_new(path.c_str(), &err);
    if (file == nullptr)
        fail("cannot write not-a-message.doc");
    GsfOutfile* root = gsf_outfile_msole_new(file);
    put_stream(root, "WordDocument", std::string(600, '\x11'));
    put_stream(root, "1Table", std::string(300, '\x22'));
    put_stream(root, "\x05SummaryInformation", std::string(100, '\0'));
    gsf_output_close(GSF_OUTPUT(root)); // closes `file` too
    g_object_unref(root);
    g_object_unref(file);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fixtures DIR\n");
        return 2;
    }
    gsf_init();
    const std::string dir = argv[1];
    write_synthetic(dir + "/synthetic.msg");
    write_not_a_message(dir + "/not-a-message.doc");
    return 0;
}
