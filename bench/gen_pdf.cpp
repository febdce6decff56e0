// gen_pdf: deterministic multi-page text PDFs shaped like a police department's FOIA
// release (memos and reports about a Ring/Neighbors partnership, and printed e-mail threads).
//
//   gen_pdf DOCUMENTS PAGES SEED OUTDIR
//
// Writes OUTDIR/release-0001.pdf ... release-DOCUMENTS.pdf, each of PAGES US Letter pages.
// Every page has a bold title line, about 50 lines of 10 pt Helvetica body text in
// paragraphs (wrapped with Helvetica's own glyph widths so that no line leaves the page),
// and a footer with a Bates number and "Page N of M". One document in four is a printed
// e-mail thread (From:/Sent:/To:/Subject: blocks, Outlook style). The PDF is written by hand:
// PDF 1.4, one content stream per page (BT /F1 10 Tf x y Td (text) Tj ... ET), the standard
// Type 1 fonts Helvetica and Helvetica-Bold with WinAnsiEncoding, an Info dictionary and a
// classic xref table. When zlib is available (g++ ... -lz) three documents in four have
// FlateDecode content streams and the fourth is left uncompressed; built with
// -DGEN_PDF_NO_ZLIB every stream is uncompressed.
//
// Output is byte-identical for the same arguments (splitmix64, no clock, no locale).
//   g++ -std=c++20 -O2 -o gen_pdf gen_pdf.cpp -lz
//   g++ -std=c++20 -O2 -DGEN_PDF_NO_ZLIB -o gen_pdf gen_pdf.cpp

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#if !defined(GEN_PDF_NO_ZLIB)
#include <zlib.h>
#endif

#include "gen_common.hpp"

namespace {

using bench::SplitMix64;
using bench::num;
using bench::parse_u64;

// Helvetica advance widths (1/1000 em) for WinAnsi codes 32..126, from the Adobe AFM.
constexpr short kHelvetica[95] = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // p..~

// Text is kept in WinAnsi bytes: ASCII plus a few Latin-1 letters (é = 0xE9, ñ = 0xF1).
int width_of(std::string_view s) {
    int w = 0;
    for (unsigned char c : s)
        w += (c >= 32 && c <= 126) ? kHelvetica[c - 32] : 556;
    return w;
}

// ---- vocabulary (WinAnsi) ---------------------------------------------------------------

constexpr std::string_view kTowns[] = {
    "Maple Grove", "Cedar Falls", "Riverbend", "Lakeview Heights", "Fairhaven", "North Ashford",
    "Pine Hollow", "Westbrook", "Sunset Valley", "Harbor City", "Elm Springs", "Granite Ridge"};
constexpr std::string_view kFirst[] = {
    "Alex", "Jordan", "Maria", "Daniel", "Priya", "Kevin", "Laura", "Marcus", "Elena", "Tom",
    "Aisha", "Brian", "Diego", "Grace", "Hannah", "Isaac", "Janet", "Kyle", "Linda", "Miguel",
    "Jos\xE9", "Ren\xE9" "e"};
constexpr std::string_view kLast[] = {
    "Anderson", "Brooks", "Castillo", "Dawson", "Everett", "Fischer", "Garcia", "Holt", "Ibarra",
    "Jensen", "Kowalski", "Morales", "Nguyen", "Patel", "Reyes", "Sullivan", "Tran", "Young",
    "Mu\xF1oz", "Whitaker"};
constexpr std::string_view kStreets[] = {
    "Maple Ave", "Oak St", "Birch Ln", "Elm Ct", "Cedar Dr", "Willow Way", "Main St",
    "Lincoln Blvd", "Park Pl", "Sunset Dr", "Hillcrest Rd", "Lakeshore Dr"};
constexpr std::string_view kTitles[] = {
    "Memorandum: Neighbors Portal Partnership", "Incident Report Supplement",
    "Video Request Log, Third Quarter", "Council Briefing: Doorbell Camera Program",
    "Partnership Agreement (Draft)", "Internal Review of Neighbors Posts",
    "Records Retention Schedule Excerpt", "Community Camera Registry Summary"};
constexpr std::string_view kSentences[] = {
    "The department entered into a partnership with Ring LLC to access the Neighbors Portal in {town}.",
    "Under the agreement, officers may post alerts and request video from residents near an incident.",
    "Residents decide whether to share footage; a request names the case number and a time window.",
    "Between {month} and {month2}, detectives sent {n} video requests and received footage in {n2} cases.",
    "The portal displays posts on a map but does not show the exact addresses of cameras.",
    "A resident on {street} shared {n} clips recorded between 9:00 pm and 11:30 pm.",
    "Case {case} was closed after the footage identified the vehicle involved.",
    "The public information officer reviewed each post before it was published to Neighbors.",
    "Ring provided a press release template, talking points and a social media toolkit.",
    "The city attorney advised that shared videos become records of the department once downloaded.",
    "Footage obtained through the portal is retained for {n} days unless it becomes evidence.",
    "Council members asked how many residents had declined requests; the figure was not tracked.",
    "Officer {name} completed the portal training on {month} {day}.",
    "The memorandum of understanding may be terminated by either party with {n} days notice.",
    "No payment was made to Ring; the department received {n} devices for a community giveaway.",
    "Sergeant {name} noted that most posts concerned package thefts and unfamiliar vehicles.",
    "A review of {n} posts found that {n2} mentioned a person's race or clothing without a crime.",
    "The records unit processed a public records request for all correspondence with Ring.",
    "Requests for video were logged with the date, the case number, the area and the response.",
    "Detective {name} requested footage from {n} households on {street} for case {case}.",
};
constexpr std::string_view kEmailSubjects[] = {
    "Neighbors Portal onboarding", "Video request follow-up", "Press release draft",
    "Portal access for new detectives", "Town hall on doorbell cameras", "MOU signature page",
    "Question about video retention", "Weekly Neighbors activity summary"};
constexpr std::string_view kMonths[] = {"January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December"};
constexpr std::string_view kWeekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                          "Friday", "Saturday"};

// Day of the week, 0 = Sunday (Sakamoto's method).
unsigned weekday(unsigned y, unsigned m, unsigned d) {
    static constexpr unsigned t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

std::string fill(SplitMix64& r, std::string_view tmpl, std::string_view town) {
    std::string out;
    std::size_t i = 0;
    while (i < tmpl.size()) {
        const auto open = tmpl.find('{', i);
        if (open == std::string_view::npos) { out += tmpl.substr(i); break; }
        out += tmpl.substr(i, open - i);
        const auto close = tmpl.find('}', open);
        const auto key = tmpl.substr(open + 1, close - open - 1);
        if (key == "town") out += town;
        else if (key == "street") { num(out, 100 + r.below(9900)); out += ' '; out += r.pick(kStreets); }
        else if (key == "n" || key == "n2") num(out, 2 + r.below(90));
        else if (key == "case") { num(out, 18 + r.below(4)); out += '-'; num(out, r.below(100000), 5); }
        else if (key == "name") { out += r.pick(kFirst); out += ' '; out += r.pick(kLast); }
        else if (key == "month" || key == "month2") out += r.pick(kMonths);
        else if (key == "day") num(out, 1 + r.below(28));
        i = close + 1;
    }
    return out;
}

// ---- layout ------------------------------------------------------------------------------

constexpr int kPageW = 612, kPageH = 792;
constexpr int kLeft = 72, kTop = 720, kLeading = 12, kBodySize = 10;
constexpr int kLinesPerPage = 54;                     // 720 down to 72
constexpr int kTextWidth = (kPageW - 2 * kLeft) * 1000 / kBodySize;  // in glyph units

struct Line {
    std::string label;  // Helvetica-Bold run before the text ("From:"); "" for none
    std::string text;   // Helvetica
    int gap = 0;        // blank lines before this one
};

// Splits a paragraph into lines that fit the text width.
void wrap(std::vector<Line>& out, std::string_view para, int gap, std::string_view label = {}) {
    Line cur{std::string(label), {}, gap};
    int w = label.empty() ? 0 : width_of(label) + kHelvetica[0];
    std::size_t i = 0;
    while (i < para.size()) {
        std::size_t j = para.find(' ', i);
        if (j == std::string_view::npos) j = para.size();
        const std::string_view word = para.substr(i, j - i);
        const int ww = width_of(word);
        if (!cur.text.empty() && w + kHelvetica[0] + ww > kTextWidth) {
            out.push_back(std::move(cur));
            cur = Line{};
            w = 0;
        }
        if (!cur.text.empty()) { cur.text += ' '; w += kHelvetica[0]; }
        cur.text += word;
        w += ww;
        i = j + 1;
    }
    out.push_back(std::move(cur));
}

// The body lines of a whole document, to be cut into pages.
std::vector<Line> body_lines(SplitMix64& r, bool emails, std::string_view town, int pages) {
    std::vector<Line> lines;
    const std::size_t want = static_cast<std::size_t>(pages) * kLinesPerPage;
    while (lines.size() < want) {
        if (emails) {
            std::string from = std::string(r.pick(kFirst)) + " " + std::string(r.pick(kLast));
            const unsigned year = 2018 + static_cast<unsigned>(r.below(4));
            const unsigned month = 1 + static_cast<unsigned>(r.below(12));
            const unsigned day = 1 + static_cast<unsigned>(r.below(28));
            std::string sent = std::string(kWeekdays[weekday(year, month, day)]) + ", " +
                               std::string(kMonths[month - 1]) + " ";
            num(sent, day); sent += ", "; num(sent, year); sent += ' ';
            num(sent, 1 + r.below(12)); sent += ':'; num(sent, r.below(60), 2); sent += r.chance(500) ? " AM" : " PM";
            std::string to = std::string(r.pick(kFirst)) + " " + std::string(r.pick(kLast));
            wrap(lines, from, lines.empty() ? 0 : 2, "From:");
            wrap(lines, sent, 0, "Sent:");
            wrap(lines, to, 0, "To:");
            wrap(lines, std::string(r.chance(500) ? "RE: " : "") + std::string(r.pick(kEmailSubjects)), 0, "Subject:");
            for (int p = 0, np = 1 + static_cast<int>(r.below(3)); p < np; ++p) {
                std::string para;
                for (int s = 0, ns = 2 + static_cast<int>(r.below(3)); s < ns; ++s) {
                    if (s) para += ' ';
                    para += fill(r, kSentences[r.below(std::size(kSentences))], town);
                }
                wrap(lines, para, 1);
            }
            wrap(lines, "Thanks,", 1);
            wrap(lines, from, 0);
        } else {
            std::string para;
            for (int s = 0, ns = 3 + static_cast<int>(r.below(4)); s < ns; ++s) {
                if (s) para += ' ';
                para += fill(r, kSentences[r.below(std::size(kSentences))], town);
            }
            wrap(lines, para, lines.empty() ? 0 : 1);
        }
    }
    return lines;
}

void pdf_string(std::string& out, std::string_view s) {
    out += '(';
    for (char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    out += ')';
}

// One page's content stream.
std::string page_content(std::string_view title, const std::vector<Line>& lines, std::size_t first,
                         std::size_t& next, std::string_view bates, int page_no, int pages) {
    std::string s;
    s += "BT\n/F2 12 Tf\n72 750 Td\n";
    pdf_string(s, title);
    s += " Tj\nET\nBT\n/F1 10 Tf\n";
    num(s, kLeft); s += ' '; num(s, kTop); s += " Td\n";
    int used = 0;
    std::size_t i = first;
    bool font_bold = false;
    for (; i < lines.size(); ++i) {
        const Line& l = lines[i];
        const int gap = used == 0 ? 0 : l.gap;
        if (used + gap + 1 > kLinesPerPage) break;
        if (used > 0) { s += "0 -"; num(s, static_cast<std::uint64_t>(kLeading * (gap + 1))); s += " Td\n"; }
        used += gap + 1;
        if (!l.label.empty()) {
            s += "/F2 10 Tf\n"; font_bold = true;
            pdf_string(s, l.label); s += " Tj\n";
            s += "/F1 10 Tf\n"; font_bold = false;
            pdf_string(s, " " + l.text); s += " Tj\n";
        } else {
            if (font_bold) { s += "/F1 10 Tf\n"; font_bold = false; }
            pdf_string(s, l.text); s += " Tj\n";
        }
    }
    next = i;
    s += "ET\nBT\n/F1 8 Tf\n72 40 Td\n";
    pdf_string(s, bates);
    s += " Tj\n400 0 Td\n";
    std::string pg = "Page "; num(pg, static_cast<std::uint64_t>(page_no)); pg += " of "; num(pg, static_cast<std::uint64_t>(pages));
    pdf_string(s, pg);
    s += " Tj\nET\n";
    return s;
}

#if !defined(GEN_PDF_NO_ZLIB)
std::string deflate(const std::string& in) {
    uLongf size = compressBound(static_cast<uLong>(in.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()),
                  static_cast<uLong>(in.size()), 6) != Z_OK) {
        std::fputs("gen_pdf: zlib compress2 failed\n", stderr);
        std::exit(1);
    }
    out.resize(size);
    return out;
}
#endif

class PdfWriter {
public:
    // Starts object `id` (ids must come in order 1, 2, 3 ...).
    void begin(int id) {
        m_offsets.push_back(m_out.size());
        num(m_out, static_cast<std::uint64_t>(id));
        m_out += " 0 obj\n";
    }
    void end() { m_out += "\nendobj\n"; }
    std::string& out() { return m_out; }

    void stream(int id, const std::string& data, bool flate) {
        begin(id);
        m_out += "<< /Length ";
        num(m_out, data.size());
        if (flate) m_out += " /Filter /FlateDecode";
        m_out += " >>\nstream\n";
        m_out += data;
        m_out += "\nendstream";
        end();
    }

    std::string finish(int info_id) {
        const std::size_t xref = m_out.size();
        m_out += "xref\n0 ";
        num(m_out, m_offsets.size() + 1);
        m_out += "\n0000000000 65535 f \n";
        for (std::size_t off : m_offsets) { num(m_out, off, 10); m_out += " 00000 n \n"; }
        m_out += "trailer\n<< /Size ";
        num(m_out, m_offsets.size() + 1);
        m_out += " /Root 1 0 R /Info ";
        num(m_out, static_cast<std::uint64_t>(info_id));
        m_out += " 0 R >>\nstartxref\n";
        num(m_out, xref);
        m_out += "\n%%EOF\n";
        return std::move(m_out);
    }

private:
    std::string m_out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> m_offsets;
};

std::string make_pdf(std::uint64_t seed, std::uint64_t index, int pages) {
    SplitMix64 r{seed * 0x9E3779B97F4A7C15ULL ^ (index + 0x632BE59BD9B4E019ULL)};
    r.next();
    const std::string_view town = r.pick(kTowns);
    const bool emails = index % 4 == 1;
#if defined(GEN_PDF_NO_ZLIB)
    const bool flate = false;
#else
    const bool flate = index % 4 != 3;
#endif
    const std::string title = emails ? std::string(town) + " Police Department: e-mail records"
                                     : std::string(r.pick(kTitles)) + " - " + std::string(town);
    const std::vector<Line> lines = body_lines(r, emails, town, pages);

    PdfWriter w;
    std::string& o = w.out();
    // 1 catalog, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 info, then page + contents pairs.
    w.begin(1); o += "<< /Type /Catalog /Pages 2 0 R >>"; w.end();
    w.begin(2);
    o += "<< /Type /Pages /Count "; num(o, static_cast<std::uint64_t>(pages)); o += " /Kids [";
    for (int p = 0; p < pages; ++p) { if (p) o += ' '; num(o, static_cast<std::uint64_t>(6 + 2 * p)); o += " 0 R"; }
    o += "] /MediaBox [0 0 "; num(o, kPageW); o += ' '; num(o, kPageH); o += "] >>"; w.end();
    w.begin(3); o += "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"; w.end();
    w.begin(4); o += "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"; w.end();
    w.begin(5);
    o += "<< /Title "; pdf_string(o, title);
    o += " /Author "; pdf_string(o, std::string(town) + " Police Department Records Unit");
    o += " /Producer (porchlight bench gen_pdf) /CreationDate (D:";
    num(o, 2018 + r.below(4)); num(o, 1 + r.below(12), 2); num(o, 1 + r.below(28), 2);
    num(o, r.below(24), 2); num(o, r.below(60), 2); num(o, r.below(60), 2); o += "-08'00') >>";
    w.end();

    std::string prefix;
    for (char c : town) if (c >= 'A' && c <= 'Z') prefix += c;
    std::size_t at = 0;
    for (int p = 0; p < pages; ++p) {
        const int page_id = 6 + 2 * p;
        w.begin(page_id);
        o += "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R /F2 4 0 R >> /ProcSet [/PDF /Text] >> /Contents ";
        num(o, static_cast<std::uint64_t>(page_id + 1)); o += " 0 R >>";
        w.end();
        std::string bates = prefix + "PD-FOIA-";
        num(bates, index * static_cast<std::uint64_t>(pages) + static_cast<std::uint64_t>(p) + 1, 6);
        std::size_t next = at;
        std::string content = page_content(title, lines, at, next, bates, p + 1, pages);
        at = next;
#if !defined(GEN_PDF_NO_ZLIB)
        if (flate) content = deflate(content);
#endif
        w.stream(page_id + 1, content, flate);
    }
    return w.finish(5);
}

int usage() {
    std::fputs("usage: gen_pdf DOCUMENTS PAGES SEED OUTDIR\n", stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) return usage();
    std::uint64_t docs = 0, pages = 0, seed = 0;
    if (!parse_u64(argv[1], docs) || !parse_u64(argv[2], pages) || !parse_u64(argv[3], seed) || docs > 9999 ||
        pages == 0 || pages > 10000) {
        std::fputs("gen_pdf: DOCUMENTS in 0..9999, PAGES in 1..10000, SEED a non-negative integer\n", stderr);
        return usage();
    }
    const std::string dir = argv[4];
    for (std::uint64_t i = 0; i < docs; ++i) {
        const std::string pdf = make_pdf(seed, i, static_cast<int>(pages));
        std::string path = dir + "/release-";
        num(path, i + 1, 4);
        path += ".pdf";
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (f == nullptr || std::fwrite(pdf.data(), 1, pdf.size(), f) != pdf.size() || std::fclose(f) != 0) {
            std::perror(("gen_pdf: " + path).c_str());
            return 1;
        }
    }
    return 0;
}
