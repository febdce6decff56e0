// gen_mbox: deterministic mbox of fictional Ring/Neighbors-style e-mails, the kind a
// police department releases under FOIA.
//
//   gen_mbox MESSAGES SEED > release.mbox
//   gen_mbox --csv MESSAGES SEED > peer.csv
//
// The first form writes an mboxrd file of MESSAGES messages (about 2-4 KB each): Neighbors
// alerts, mail between Ring partnership staff and police officers, and replies that quote
// earlier mail. Every message has From/To (some Cc), a Date with a UTC offset, a unique
// Message-ID and a multipart/alternative text + HTML body; about 1 in 7 is
// multipart/mixed with a small text attachment. Parts are 7bit/8bit, quoted-printable or
// base64; subjects with non-ASCII text are RFC 2047 encoded words. Body lines that start
// with "From " are written as ">From " (mboxrd quoting).
//
// The second form writes the same messages, decoded, as an RFC 4180 CSV for the sqlite3
// peer: message_id,sender,recipients,date,subject,body,attachment_name,attachment.
//
// Output is byte-identical for the same arguments (splitmix64, no clock, no locale).
// Standard library only: g++ -std=c++20 -O2 -o gen_mbox gen_mbox.cpp

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "gen_common.hpp"

namespace {

using bench::SplitMix64;
using bench::num;
using bench::parse_u64;

// ---- vocabulary ------------------------------------------------------------------------

constexpr std::string_view kFirst[] = {
    "Alex", "Jordan", "Maria", "Daniel", "Priya", "Kevin", "Laura", "Marcus", "Elena", "Tom",
    "Aisha", "Brian", "Chloé", "Diego", "Grace", "Hannah", "Isaac", "Janet", "Kyle", "Linda",
    "Miguel", "Nora", "Owen", "Paula", "Quinn", "Rosa", "Samuel", "Tanya", "Victor", "Wendy",
    "José", "Renée"};
constexpr std::string_view kLast[] = {
    "Anderson", "Brooks", "Castillo", "Dawson", "Everett", "Fischer", "Garcia", "Holt",
    "Ibarra", "Jensen", "Kowalski", "Lindqvist", "Morales", "Nguyen", "O'Brien", "Patel",
    "Quintero", "Reyes", "Sullivan", "Tran", "Underwood", "Vasquez", "Whitaker", "Young",
    "Zimmerman", "Muñoz", "Okafor", "Bergström"};
constexpr std::string_view kRanks[] = {"Officer", "Sgt.", "Lt.", "Det.", "Capt.", "Chief"};
// Fictional towns; each has its police department's mail domain.
struct Town {
    std::string_view name;
    std::string_view domain;
};
constexpr Town kTowns[] = {
    {"Maple Grove", "maplegrove-pd.example.gov"},   {"Cedar Falls", "cedarfallspd.example.gov"},
    {"Riverbend", "riverbend.example.gov"},         {"Lakeview Heights", "lvh-police.example.org"},
    {"Fairhaven", "fairhavenpd.example.gov"},       {"North Ashford", "northashford.example.gov"},
    {"Pine Hollow", "pinehollow-pd.example.gov"},   {"Westbrook", "westbrookpolice.example.org"},
    {"Sunset Valley", "sunsetvalley.example.gov"},  {"Harbor City", "harborcitypd.example.gov"},
    {"Elm Springs", "elmsprings.example.gov"},      {"Granite Ridge", "graniteridgepd.example.gov"},
    {"Mill Creek", "millcreek-pd.example.gov"},     {"Oak Park West", "opw-police.example.org"},
    {"Silver Lake", "silverlakepd.example.gov"},    {"Brookside", "brooksidepolice.example.gov"}};
constexpr std::string_view kStreets[] = {
    "Maple Ave", "Oak St", "Birch Ln", "Elm Ct", "Cedar Dr", "Willow Way", "Main St",
    "Lincoln Blvd", "Park Pl", "Sunset Dr", "Hillcrest Rd", "Lakeshore Dr", "2nd St",
    "Washington Ave", "Chestnut St", "Meadow Ln"};
constexpr std::string_view kIncidents[] = {
    "Crime", "Safety", "Suspicious", "Lost Pet", "Unexpected Activity", "Stranger", "Fire"};
constexpr std::string_view kWhat[] = {
    "a package taken from a front porch", "a person trying car door handles",
    "an unfamiliar vehicle parked for several hours", "a broken side window",
    "two people looking into garages", "a bicycle taken from a driveway",
    "a loud noise and a car leaving at speed", "someone ringing doorbells and running off",
    "a delivery van following a mail carrier", "a lost dog near the park entrance"};
constexpr std::string_view kDevices[] = {
    "Video Doorbell 3", "Stick Up Cam", "Floodlight Cam", "Spotlight Cam", "Doorbell Pro",
    "Indoor Cam"};
constexpr std::string_view kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::string_view kDayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
struct Zone {
    int minutes;
    std::string_view comment;  // "" or e.g. "(PST)"
};
constexpr Zone kZones[] = {{-480, "(PST)"}, {-420, "(PDT)"}, {-420, ""}, {-360, "(CST)"},
                           {-300, "(CDT)"}, {-300, ""},      {-240, "(EDT)"}, {0, ""},
                           {0, "(UTC)"},    {-480, ""},      {-240, ""},     {60, ""}};

constexpr std::string_view kStaffLines[] = {
    "Thanks again for joining the call on {day}; the notes from it are below.",
    "As discussed, the Neighbors Portal shows your detectives a map of posts in {town}, not the addresses of cameras.",
    "We can share a press release template and a social media toolkit for the launch.",
    "Let me know if the team has questions about the Video Request process before go-live.",
    "The onboarding session is set for {day} at 10:00 and should take about an hour.",
    "Residents decide whether to share footage; the request shows them the case number and the time window.",
    "I have attached the talking points that other departments in the region used.",
    "Our community team can join a town hall in {town} if that would help.",
    "The Portal accounts for the new detectives are ready; they will get an invitation by e-mail.",
    "We saw {n} new Neighbors app downloads in {town} after last week's post.",
    "Please keep this document internal; it is a draft and the wording may change.",
    "Feel free to forward this to your public information officer.",
};
constexpr std::string_view kOfficerLines[] = {
    "We sent {n} video requests this week and received footage for about half of them.",
    "Can you resend the Portal login for Officer {name}? The account is locked.",
    "Our PIO would like to review the press release before it goes out on {day}.",
    "The council asked whether residents can opt out of video requests entirely.",
    "Case {case} is still open; any footage from {street} after 9 pm would help.",
    "I'll be out of the office until {day}; please copy Lt. {name} on anything urgent.",
    "The chief approved the partnership agreement and signed the MOU this morning.",
    "A resident called about a post on Neighbors that named her son; can it be taken down?",
    "We would like to post the attached flyer to Neighbors for the safety fair on {day}.",
    "The records unit received a public records request about our Ring partnership.",
    "Thanks, that answers our question about how long shared videos are kept.",
    "Patrol confirmed the vehicle on {street} was a contractor; the post can be updated.",
};
constexpr std::string_view kAlertLines[] = {
    "A neighbor near {street} posted a {incident} incident on Neighbors at {time}.",
    "The post describes {what}.",
    "The post includes a video clip recorded by a {device}.",
    "{n} neighbors have commented on the post and {n2} have shared it.",
    "Open the Neighbors Portal to view the post, comment as {town} Police, or send a video request.",
    "Posts within half a mile of {street} are shown on your agency's map.",
    "You are receiving this alert because your agency follows the {town} area.",
};
constexpr std::string_view kFromLines[] = {
    "From the Neighbors team: thank you for keeping {town} safe.",
    "From what the resident wrote, the car left heading north on {street}.",
    "From {day} on, alerts will also go to the duty sergeant.",
};
constexpr std::string_view kSign[] = {
    "Best regards,", "Thanks,", "Sincerely,", "Thank you,", "Best,", "Cheers,"};

// ---- small helpers ---------------------------------------------------------------------

void hex(std::string& s, std::uint64_t v, int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i)
        s.push_back(kHex[(v >> (4 * i)) & 15]);
}

bool is_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80)
            return false;
    return true;
}

std::string lower_ascii(std::string_view s) {
    std::string out;
    for (unsigned char c : s)
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out.push_back(static_cast<char>(c));
        else if (c >= 'A' && c <= 'Z')
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        else if (c >= 0x80 && c < 0xC0)
            continue;  // continuation bytes of ó, é ... dropped with their lead byte
        else if (c >= 0xC0)
            out.push_back('x');
    return out;
}

// Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm).
struct Civil {
    std::int64_t y;
    unsigned m, d, hh, mm, ss, wday;  // wday 0 = Monday
};

Civil civil_from_seconds(std::int64_t t) {
    std::int64_t z = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    const std::int64_t secs = t - z * 86400;
    Civil c{};
    c.wday = static_cast<unsigned>(((z % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
    c.hh = static_cast<unsigned>(secs / 3600);
    c.mm = static_cast<unsigned>(secs / 60 % 60);
    c.ss = static_cast<unsigned>(secs % 60);
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.d = doy - (153 * mp + 2) / 5 + 1;
    c.m = mp < 10 ? mp + 3 : mp - 9;
    c.y = static_cast<std::int64_t>(yoe) + era * 400 + (c.m <= 2);
    return c;
}

// "Mon, 4 Mar 2019 14:22:10 -0800 (PST)"
std::string rfc5322_date(std::int64_t utc, const Zone& z) {
    const Civil c = civil_from_seconds(utc + z.minutes * 60);
    std::string s;
    s += kWeekdays[c.wday]; s += ", ";
    num(s, c.d); s += ' '; s += kMonths[c.m - 1]; s += ' '; num(s, static_cast<std::uint64_t>(c.y));
    s += ' '; num(s, c.hh, 2); s += ':'; num(s, c.mm, 2); s += ':'; num(s, c.ss, 2);
    s += ' '; s += z.minutes < 0 ? '-' : '+';
    const int a = z.minutes < 0 ? -z.minutes : z.minutes;
    num(s, static_cast<std::uint64_t>(a / 60), 2); num(s, static_cast<std::uint64_t>(a % 60), 2);
    if (!z.comment.empty()) { s += ' '; s += z.comment; }
    return s;
}

// The From_ line's date: asctime() form, UTC. "Mon Mar  4 22:22:10 2019"
std::string asctime_date(std::int64_t utc) {
    const Civil c = civil_from_seconds(utc);
    std::string s;
    s += kWeekdays[c.wday]; s += ' '; s += kMonths[c.m - 1]; s += ' ';
    if (c.d < 10) s += ' ';
    num(s, c.d); s += ' ';
    num(s, c.hh, 2); s += ':'; num(s, c.mm, 2); s += ':'; num(s, c.ss, 2); s += ' ';
    num(s, static_cast<std::uint64_t>(c.y));
    return s;
}

// ---- encoders --------------------------------------------------------------------------

void base64(std::string& out, std::string_view in) {
    static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t col = 0;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        const std::uint32_t b0 = static_cast<unsigned char>(in[i]);
        const std::uint32_t b1 = i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) : 0;
        const std::uint32_t b2 = i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0;
        const std::uint32_t v = (b0 << 16) | (b1 << 8) | b2;
        out.push_back(kB64[(v >> 18) & 63]);
        out.push_back(kB64[(v >> 12) & 63]);
        out.push_back(i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=');
        out.push_back(i + 2 < in.size() ? kB64[v & 63] : '=');
        if ((col += 4) >= 76) { out.push_back('\n'); col = 0; }
    }
    if (col != 0) out.push_back('\n');
}

// Quoted-printable (RFC 2045): lines of at most 76 characters, soft breaks as "=\n",
// '=' and non-ASCII as =XX, white space before a line break encoded.
void quoted_printable(std::string& out, std::string_view in) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::size_t col = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c == '\n') { out.push_back('\n'); col = 0; continue; }
        const bool at_eol = i + 1 == in.size() || in[i + 1] == '\n';
        const bool plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol);
        const std::size_t width = plain ? 1 : 3;
        if (col + width > 75) { out += "=\n"; col = 0; }
        if (plain) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('=');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
        col += width;
    }
    if (col != 0) out.push_back('\n');
}

// A header value as an RFC 2047 "Q" encoded word when it is not ASCII.
std::string encoded_word(std::string_view s) {
    if (is_ascii(s)) return std::string(s);
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "=?UTF-8?Q?";
    for (unsigned char c : s) {
        if (c == ' ') out.push_back('_');
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == ',' || c == '-' || c == ':' || c == '!')
            out.push_back(static_cast<char>(c));
        else { out.push_back('='); out.push_back(kHex[c >> 4]); out.push_back(kHex[c & 15]); }
    }
    out += "?=";
    return out;
}

// A display name in a header: quoted when it holds specials, encoded when not ASCII.
std::string display_name(std::string_view name) {
    if (!is_ascii(name)) return encoded_word(name);
    if (name.find_first_of(".,'()") != std::string_view::npos)
        return "\"" + std::string(name) + "\"";
    return std::string(name);
}

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

// Word-wraps one paragraph at 72 columns (bytes; close enough for this text).
void wrap(std::string& out, std::string_view para, std::string_view prefix = {}) {
    std::size_t col = 0;
    std::size_t i = 0;
    while (i < para.size()) {
        std::size_t j = para.find(' ', i);
        if (j == std::string_view::npos) j = para.size();
        const std::string_view word = para.substr(i, j - i);
        if (col == 0) { out += prefix; col = prefix.size(); }
        else if (col + 1 + word.size() > 72) { out += '\n'; out += prefix; col = prefix.size(); }
        else { out += ' '; ++col; }
        out += word;
        col += word.size();
        i = j + 1;
    }
    out += '\n';
}

// ---- one message -----------------------------------------------------------------------

struct Person {
    std::string name;  // display name
    std::string addr;
    std::string mailbox() const { return display_name(name) + " <" + addr + ">"; }
    std::string plain() const { return name + " <" + addr + ">"; }
};

struct Message {
    std::string from_line_addr;
    std::int64_t utc = 0;
    std::string date;
    std::string message_id, in_reply_to;
    Person from;
    std::vector<Person> to, cc;
    std::string subject;
    std::vector<std::string> paragraphs;
    std::string quoted;  // an earlier message quoted in a reply, "" when none
    std::vector<std::string> signature;
    std::string attachment_name, attachment;  // "" when none
};

class Generator {
public:
    explicit Generator(std::uint64_t seed) : m_seed(seed) {}

    Message make(std::uint64_t index) {
        SplitMix64 r{m_seed * 0x9E3779B97F4A7C15ULL ^ (index + 0x632BE59BD9B4E019ULL)};
        r.next();
        Message m;
        const Town& town = r.pick(kTowns);
        const std::uint64_t kind = r.below(100);  // <35 alert, <65 staff, else officer
        // 2018-01-01 .. 2021-12-31, UTC
        m.utc = 1514764800 + static_cast<std::int64_t>(r.below(4 * 365 * 86400ULL));
        const Zone& zone = r.pick(kZones);
        m.date = rfc5322_date(m.utc, zone);

        Person officer = person(r, town, true);
        Person staff = person(r, town, false);
        std::string host;
        if (kind < 35) {
            m.from = {"Neighbors by Ring", "no-reply@neighbors.ring.example.com"};
            m.to.push_back(officer);
            if (r.chance(300)) m.to.push_back(person(r, town, true));
            host = "neighbors.ring.example.com";
            const auto incident = r.pick(kIncidents);
            if (r.chance(700)) m.subject = "A Resident Posted a " + std::string(incident) + " Incident";
            else m.subject = "New " + std::string(incident) + " Alert near " + std::string(r.pick(kStreets));
            for (int i = 0, n = 3 + static_cast<int>(r.below(3)); i < n; ++i)
                m.paragraphs.push_back(fill(r, kAlertLines[r.below(std::size(kAlertLines))], town));
            m.paragraphs.push_back(fill(r, kAlertLines[4], town));
            if (r.chance(200)) m.paragraphs.push_back(fill(r, kFromLines[0], town));
            m.signature = {"The Neighbors Team", "Ring LLC, 1523 26th St, Santa Monica, CA (fictional)",
                           "Manage alert settings in the Neighbors Portal."};
        } else {
            const bool from_staff = kind < 65;
            m.from = from_staff ? staff : officer;
            m.to.push_back(from_staff ? officer : staff);
            if (r.chance(400)) m.cc.push_back(person(r, town, true));
            if (r.chance(200)) m.cc.push_back(person(r, town, false));
            host = from_staff ? "mail.ring.example.com" : std::string(town.domain);
            static constexpr std::string_view kSubjects[] = {
                "Neighbors Portal onboarding for {town}", "Video Request follow-up, case {case}",
                "Press release draft – Ring partnership", "Weekly Neighbors activity summary",
                "Portal access for new detectives", "Town hall on doorbell cameras",
                "MOU signature page", "Public records request: Ring/Neighbors",
                "Safety fair flyer for Neighbors", "Question about video retention"};
            m.subject = fill(r, kSubjects[r.below(std::size(kSubjects))], town);
            const bool reply = r.chance(450);
            if (reply) {
                m.subject = (r.chance(800) ? "Re: " : "RE: ") + m.subject;
                m.in_reply_to = message_id(r, index ^ 0xFFFF, "mail.ring.example.com");
            } else if (r.chance(100)) {
                m.subject = "FW: " + m.subject;
            }
            const auto& lines = from_staff ? kStaffLines : kOfficerLines;
            m.paragraphs.push_back("Hi " + first_name(m.to.front()) + ",");
            for (int p = 0, np = 2 + static_cast<int>(r.below(3)); p < np; ++p) {
                std::string para;
                for (int s = 0, ns = 1 + static_cast<int>(r.below(3)); s < ns; ++s) {
                    if (s) para += ' ';
                    para += fill(r, lines[r.below(std::size(lines))], town);
                }
                m.paragraphs.push_back(std::move(para));
            }
            if (r.chance(250)) m.paragraphs.push_back(fill(r, kFromLines[1 + r.below(2)], town));
            m.signature = {std::string(r.pick(kSign)), m.from.name,
                           from_staff ? std::string("Partnerships, Ring (fictional)")
                                      : std::string(town.name) + " Police Department"};
            if (reply) {
                const Person& other = m.to.front();
                m.quoted = "On " + rfc5322_date(m.utc - 3600 * static_cast<std::int64_t>(1 + r.below(48)), zone) +
                           ", " + other.plain() + " wrote:\n";
                std::string q;
                wrap(q, fill(r, (from_staff ? kOfficerLines : kStaffLines)[r.below(12)], town), "> ");
                wrap(q, fill(r, (from_staff ? kOfficerLines : kStaffLines)[r.below(12)], town), "> ");
                if (r.chance(300)) q += ">From the records unit: please keep this thread.\n";
                m.quoted += q;
            }
        }
        m.message_id = message_id(r, index, host);
        m.from_line_addr = m.from.addr;

        if (r.chance(140)) {
            std::string name;
            if (r.chance(500)) {
                name = "incident-"; num(name, 100000 + r.below(900000)); name += ".txt";
                std::string& t = m.attachment;
                t = "INCIDENT SUMMARY\nAgency: " + std::string(town.name) + " Police Department\nCase: ";
                num(t, 2018 + r.below(4)); t += '-'; num(t, r.below(100000), 5);
                t += "\nLocation: "; num(t, 100 + r.below(9900)); t += ' '; t += r.pick(kStreets);
                t += "\nReported: " + m.date + "\nSummary: Resident reported " + std::string(r.pick(kWhat)) +
                     ". Footage requested through the Neighbors Portal.\nStatus: open\n";
            } else {
                name = "portal-activity.csv";
                std::string& t = m.attachment;
                t = "week,posts,video_requests,videos_shared\n";
                for (int w = 1; w <= 8; ++w) {
                    num(t, static_cast<std::uint64_t>(w)); t += ',';
                    num(t, r.below(200)); t += ','; num(t, r.below(30)); t += ','; num(t, r.below(15)); t += '\n';
                }
            }
            m.attachment_name = name;
        }
        return m;
    }

private:
    Person person(SplitMix64& r, const Town& town, bool officer) {
        const auto first = r.pick(kFirst);
        const auto last = r.pick(kLast);
        Person p;
        p.name = officer && r.chance(500) ? std::string(r.pick(kRanks)) + " " : std::string();
        p.name += first; p.name += ' '; p.name += last;
        p.addr = lower_ascii(first.substr(0, 1)) + lower_ascii(last) + "@" +
                 std::string(officer ? town.domain : std::string_view("ring.example.com"));
        return p;
    }

    static std::string first_name(const Person& p) {
        std::string_view n = p.name;
        for (auto rank : kRanks)
            if (n.starts_with(rank) && n.size() > rank.size() && n[rank.size()] == ' ')
                return std::string(n);  // "Sgt. Maria Reyes" keeps the rank
        return std::string(n.substr(0, n.find(' ')));
    }

    std::string message_id(SplitMix64& r, std::uint64_t index, std::string_view host) {
        std::string id;
        hex(id, index, 8); id += '.'; hex(id, r.next(), 16); id += '@'; id += host;
        return id;
    }

    // Expands {town} {street} {n} {n2} {case} {name} {day} {time} {what} {device} {incident}.
    std::string fill(SplitMix64& r, std::string_view tmpl, const Town& town) {
        std::string out;
        std::size_t i = 0;
        while (i < tmpl.size()) {
            const auto open = tmpl.find('{', i);
            if (open == std::string_view::npos) { out += tmpl.substr(i); break; }
            out += tmpl.substr(i, open - i);
            const auto close = tmpl.find('}', open);
            const auto key = tmpl.substr(open + 1, close - open - 1);
            if (key == "town") out += town.name;
            else if (key == "street") { num(out, 100 + r.below(9900)); out += ' '; out += r.pick(kStreets); }
            else if (key == "n" || key == "n2") num(out, 2 + r.below(60));
            else if (key == "case") { num(out, 18 + r.below(4)); out += '-'; num(out, r.below(100000), 5); }
            else if (key == "name") { out += r.pick(kFirst); out += ' '; out += r.pick(kLast); }
            else if (key == "day") out += kDayNames[r.below(std::size(kDayNames))];
            else if (key == "time") { num(out, 1 + r.below(12)); out += ':'; num(out, r.below(60), 2); out += r.chance(500) ? " am" : " pm"; }
            else if (key == "what") out += r.pick(kWhat);
            else if (key == "device") out += r.pick(kDevices);
            else if (key == "incident") out += r.pick(kIncidents);
            i = close + 1;
        }
        return out;
    }

    std::uint64_t m_seed;
};

// The decoded text/plain body of a message.
std::string plain_body(const Message& m) {
    std::string out;
    for (const auto& p : m.paragraphs) { wrap(out, p); out += '\n'; }
    for (const auto& s : m.signature) { out += s; out += '\n'; }
    if (!m.quoted.empty()) { out += '\n'; out += m.quoted; }
    return out;
}

std::string html_body(const Message& m) {
    std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html_escape(m.subject) +
                      "</title></head>\n<body style=\"font-family: Helvetica, Arial, sans-serif; font-size: 14px;\">\n";
    for (const auto& p : m.paragraphs) {
        out += "<p>";
        std::string w;
        wrap(w, html_escape(p));
        w.pop_back();
        out += w;
        out += "</p>\n";
    }
    out += "<p>";
    for (std::size_t i = 0; i < m.signature.size(); ++i) {
        if (i) out += "<br>\n";
        out += html_escape(m.signature[i]);
    }
    out += "</p>\n";
    if (!m.quoted.empty()) {
        out += "<blockquote style=\"border-left: 2px solid #ccc; padding-left: 8px;\">\n";
        out += html_escape(m.quoted);
        out += "</blockquote>\n";
    }
    out += "</body></html>\n";
    return out;
}

enum class Cte { bit7, qp, b64 };

void part(std::string& out, std::string_view boundary, std::string_view type, std::string_view body, Cte cte,
          std::string_view filename = {}) {
    out += "--"; out += boundary; out += '\n';
    out += "Content-Type: "; out += type;
    if (!filename.empty()) { out += "; name=\""; out += filename; out += '"'; }
    out += '\n';
    switch (cte) {
        case Cte::bit7: out += is_ascii(body) ? "Content-Transfer-Encoding: 7bit\n" : "Content-Transfer-Encoding: 8bit\n"; break;
        case Cte::qp: out += "Content-Transfer-Encoding: quoted-printable\n"; break;
        case Cte::b64: out += "Content-Transfer-Encoding: base64\n"; break;
    }
    if (!filename.empty()) { out += "Content-Disposition: attachment; filename=\""; out += filename; out += "\"\n"; }
    out += '\n';
    switch (cte) {
        case Cte::bit7: out += body; break;
        case Cte::qp: quoted_printable(out, body); break;
        case Cte::b64: base64(out, body); break;
    }
}

std::string join(const std::vector<Person>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        out += v[i].mailbox();
    }
    return out;
}

// mboxrd: a line matching ^>*From  gets one more '>'.
void append_quoted(std::string& out, std::string_view msg) {
    std::size_t pos = 0;
    while (pos < msg.size()) {
        std::size_t eol = msg.find('\n', pos);
        eol = eol == std::string_view::npos ? msg.size() : eol + 1;
        const std::string_view line = msg.substr(pos, eol - pos);
        const std::size_t gt = line.find_first_not_of('>');
        if (gt != std::string_view::npos && line.substr(gt).starts_with("From ")) out.push_back('>');
        out += line;
        pos = eol;
    }
}

void write_mbox_message(std::string& out, const Message& m, SplitMix64& r, std::uint64_t index) {
    std::string msg;
    msg += "Return-Path: <" + m.from.addr + ">\n";
    msg += "From: " + m.from.mailbox() + "\n";
    msg += "To: " + join(m.to) + "\n";
    if (!m.cc.empty()) msg += "Cc: " + join(m.cc) + "\n";
    msg += "Subject: " + encoded_word(m.subject) + "\n";
    msg += "Date: " + m.date + "\n";
    msg += "Message-ID: <" + m.message_id + ">\n";
    if (!m.in_reply_to.empty()) msg += "In-Reply-To: <" + m.in_reply_to + ">\nReferences: <" + m.in_reply_to + ">\n";
    if (r.chance(300)) msg += "X-Mailer: Microsoft Outlook 16.0\n";
    msg += "MIME-Version: 1.0\n";

    std::string alt_boundary = "----=_Alt_"; hex(alt_boundary, index, 8); hex(alt_boundary, r.next(), 12);
    const std::string plain = plain_body(m);
    const std::string html = html_body(m);
    const std::uint64_t p = r.below(10), h = r.below(10);
    const Cte plain_cte = p < 5 ? Cte::bit7 : p < 8 ? Cte::qp : Cte::b64;
    const Cte html_cte = h < 3 ? Cte::bit7 : h < 7 ? Cte::qp : Cte::b64;

    std::string alt;
    part(alt, alt_boundary, "text/plain; charset=\"utf-8\"", plain, plain_cte);
    part(alt, alt_boundary, "text/html; charset=\"utf-8\"", html, html_cte);
    alt += "--" + alt_boundary + "--\n";

    if (m.attachment_name.empty()) {
        msg += "Content-Type: multipart/alternative; boundary=\"" + alt_boundary + "\"\n\n";
        msg += "This is a multi-part message in MIME format.\n\n";
        msg += alt;
    } else {
        std::string mixed = "----=_Mix_"; hex(mixed, index, 8); hex(mixed, r.next(), 12);
        msg += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\n\n";
        msg += "--" + mixed + "\n";
        msg += "Content-Type: multipart/alternative; boundary=\"" + alt_boundary + "\"\n\n";
        msg += alt;
        const bool csv = m.attachment_name.ends_with(".csv");
        part(msg, mixed, csv ? "text/csv" : "text/plain; charset=\"utf-8\"", m.attachment, Cte::b64, m.attachment_name);
        msg += "--" + mixed + "--\n";
    }

    out += "From " + m.from_line_addr + " " + asctime_date(m.utc) + "\n";
    append_quoted(out, msg);
    out += '\n';  // the blank line between messages
}

void csv_field(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void write_csv_row(std::string& out, const Message& m) {
    std::string to;
    for (std::size_t i = 0; i < m.to.size() + m.cc.size(); ++i) {
        if (i) to += ", ";
        to += (i < m.to.size() ? m.to[i] : m.cc[i - m.to.size()]).plain();
    }
    csv_field(out, m.message_id); out += ',';
    csv_field(out, m.from.plain()); out += ',';
    csv_field(out, to); out += ',';
    csv_field(out, m.date); out += ',';
    csv_field(out, m.subject); out += ',';
    csv_field(out, plain_body(m)); out += ',';
    csv_field(out, m.attachment_name); out += ',';
    csv_field(out, m.attachment); out += '\n';
}

int usage() {
    std::fputs("usage: gen_mbox MESSAGES SEED > release.mbox\n"
               "       gen_mbox --csv MESSAGES SEED > peer.csv\n", stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    bool csv = false;
    int a = 1;
    if (argc > 1 && std::strcmp(argv[1], "--csv") == 0) { csv = true; ++a; }
    if (argc - a != 2) return usage();
    std::uint64_t messages = 0, seed = 0;
    if (!parse_u64(argv[a], messages) || !parse_u64(argv[a + 1], seed)) {
        std::fputs("gen_mbox: MESSAGES and SEED must be non-negative integers\n", stderr);
        return usage();
    }

    Generator gen(seed);
    std::string buf;
    buf.reserve(1 << 21);
    bool ok = true;
    auto flush = [&] {
        if (!buf.empty() && std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size()) ok = false;
        buf.clear();
    };
    if (csv) buf += "message_id,sender,recipients,date,subject,body,attachment_name,attachment\n";
    for (std::uint64_t i = 0; i < messages; ++i) {
        const Message m = gen.make(i);
        if (csv) {
            write_csv_row(buf, m);
        } else {
            // The encodings and boundaries use their own stream, so --csv need not draw them.
            SplitMix64 r{seed ^ (i * 0xD1B54A32D192ED03ULL) ^ 0x6D626F78ULL};
            write_mbox_message(buf, m, r, i);
        }
        if (buf.size() >= (1 << 20)) flush();
    }
    flush();
    if (!ok || std::fflush(stdout) != 0) {
        std::perror("gen_mbox: write");
        return 1;
    }
    return 0;
}
