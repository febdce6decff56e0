#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::util {

std::string trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);

/// Byte offset of the first invalid UTF-8 sequence, or nullopt when s is valid UTF-8.
std::optional<std::size_t> invalid_utf8_offset(std::string_view s);

/// Lower-case, punctuation to spaces, one space between words, apostrophes dropped:
/// the base of every normalised key.
std::string normalise_words(std::string_view s);

/// Agency name key: normalise_words plus the usual abbreviations expanded
/// ("PD", "Police Dept." -> "police department", "Sheriff's Office", "Twp" -> "township",
/// "St." -> "saint", "Co." -> "county" ...), leading "the" dropped.
std::string normalise_agency(std::string_view name);

/// Place name key ("St. Louis" == "Saint Louis", "Twp" == "Township").
std::string normalise_place(std::string_view name);

/// USPS code for a state or territory given as a code or its name, any case
/// ("il", "Illinois", " WI ") -> "IL"; nullopt when not a US state or territory.
std::optional<std::string> state_code(std::string_view s);
/// Full name of a USPS code ("IL" -> "Illinois"), empty when unknown.
std::string state_name(std::string_view code);

/// s with one space before and after: lets whole-word tests use find(" word ").
std::string pad_words(std::string_view s);

/// Whether words (space-separated, as normalise_words gives) contains phrase as whole
/// words: contains_words("cook county sheriffs office", "county sheriffs") is true,
/// contains_words("countyline police", "county") is false. No copies are made.
bool contains_words(std::string_view words, std::string_view phrase);

/// Levenshtein distance (for "did you mean").
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Writes s as a JSON string literal (quoted, escaped) onto out.
void append_json_string(std::string& out, std::string_view s);

/// How xml_escape writes the quotes.
enum class xml_quotes {
    numeric, ///< " as &quot;, ' as &#39; (HTML and XML alike: text and attribute values)
    named,   ///< " as &quot;, ' as &apos; (XML, SVG)
    kept,    ///< left as they are (element text only)
};

/// Appends s onto out with & < > (and the quotes, as q says) written as entities, so it
/// stays text in XML or HTML.
void append_xml_escaped(std::string& out, std::string_view s, xml_quotes q = xml_quotes::numeric);
/// s with & < > (and the quotes, as q says) written as entities.
std::string xml_escape(std::string_view s, xml_quotes q = xml_quotes::numeric);

/// The parts with sep between them. A separator goes in only once something was written:
/// leading empty parts leave no trace (join({"", "a", "b"}, ", ") is "a, b").
std::string join(const std::vector<std::string>& parts, std::string_view sep);

/// Sets out to a JSON array of strings (a record's values, a source's columns, warnings).
void json_array(std::string& out, const std::vector<std::string>& values);

} // namespace porchlight::util
