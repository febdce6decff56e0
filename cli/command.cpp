#include "command.hpp"

#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <sstream>

namespace porchlight::cli {

po::options_description Command::visible_options() {
    po::options_description opts("Options");
    opts.add_options()("help,h", "show this help");
    add_options(opts);
    po::options_description common("Common options");
    common.add_options()("db", po::value<std::string>()->value_name("PATH"), "store path (default $PORCHLIGHT_DB or ./porchlight.db)")
        ("quiet,q", "print only errors")
        ("verbose,v", "print more detail");
    opts.add(common);
    return opts;
}

store::Store Command::open_store(bool writable) const {
    return store::Store::open(m_global.db, writable);
}

std::string Command::options_help() {
    std::ostringstream ss;
    ss << visible_options();
    return ss.str();
}

void Command::setup(const std::vector<std::string>& args, const global_options& globals) {
    m_global = globals;
    auto opts = visible_options();
    po::options_description hidden;
    add_hidden_options(hidden);
    opts.add(hidden);
    po::positional_options_description pos;
    add_positional(pos);
    po::variables_map vm;
    try {
        auto parsed = po::command_line_parser(args)
                          .options(opts)
                          .positional(pos)
                          .style(po::command_line_style::default_style &
                                 ~po::command_line_style::allow_guessing)
                          .run();
        po::store(parsed, vm);
        po::notify(vm);
    } catch (const po::unknown_option& e) {
        std::vector<std::string> names;
        for (const auto& o : opts.options())
            names.push_back("--" + o->long_name());
        auto hint = suggest(e.get_option_name(), names);
        throw argument_error("unknown option '" + e.get_option_name() + "'" +
                             (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                             " (see `porchlight help " + std::string(name()) + "`)");
    } catch (const po::too_many_positional_options_error&) {
        throw argument_error("too many arguments (usage: " + usage() + ")");
    } catch (const po::error& e) {
        throw argument_error(std::string(e.what()) + " (usage: " + usage() + ")");
    }
    if (vm.count("help"))
        throw help_requested{};
    if (vm.count("db"))
        m_global.db = vm["db"].as<std::string>();
    if (vm.count("quiet"))
        m_global.verbosity = -1;
    if (vm.count("verbose"))
        m_global.verbosity = 1;
    check(vm);
}

void with_format::add_format_option(po::options_description& opts) {
    opts.add_options()("format,f", po::value<std::string>(&m_format)->default_value("table")->value_name("FORMAT"),
                       "output format: table, csv or json");
}

void with_format::check_format() const {
    if (m_format != "table" && m_format != "csv" && m_format != "json") {
        auto hint = suggest(m_format, {"table", "csv", "json"});
        throw argument_error("unknown format '" + m_format + "'" +
                             (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                             " (formats: table, csv, json)");
    }
}

void with_layer_filter::add_layer_filter_options(po::options_description& opts) {
    opts.add_options()("vendor", po::value<std::string>()->value_name("VENDOR"),
                       "agencies, partnerships, requests: of partners of this vendor (name or "
                       "alias, substring)")(
        "technology", po::value<std::string>()->value_name("TECH"),
        "agencies, partnerships, requests: of this technology (substring)")(
        "state", po::value<std::string>()->value_name("ST"), "USPS code or state name")(
        "as-of", po::value<std::string>()->value_name("DATE"),
        "agencies, partnerships: partnerships that existed on DATE (YYYY-MM-DD)")(
        "since", po::value<std::string>()->value_name("DATE"),
        "partnerships started, requests made from this day, month or year on")(
        "until", po::value<std::string>()->value_name("DATE"),
        "... up to this day, month or year, inclusive")(
        "include-personal-data", po::bool_switch(&m_filter.include_personal_data),
        "also include personal data found in documents: request case numbers, titles and "
        "addresses, camera names");
}

void with_layer_filter::add_hexbin_options(po::options_description& opts) {
    opts.add_options()("cell", po::value<double>(&m_filter.hexbin_cell_m)->value_name("M"),
                       "hexbins: hexagon size in metres, flat side to flat side (default 5000)")(
        "min-count", po::value<std::int64_t>(&m_filter.hexbin_min_count)->value_name("N"),
        "hexbins: leave out hexagons of fewer than N cameras (default 5)");
}

void with_layer_filter::check_layer_filter(const po::variables_map& vm,
                                           render::layer_kind kind) {
    m_filter.vendor = option_text(vm, "vendor");
    m_filter.technology = option_text(vm, "technology");
    m_filter.state = option_text(vm, "state");
    m_filter.as_of = option_text(vm, "as-of");
    m_filter.since = option_text(vm, "since");
    m_filter.until = option_text(vm, "until");
    if (m_filter.as_of)
        check_as_of(*m_filter.as_of);
    if ((vm.count("cell") || vm.count("min-count")) && kind != render::layer_kind::hexbins)
        throw argument_error("--cell and --min-count apply to the hexbins layer only");
}

std::optional<std::string> option_text(const po::variables_map& vm, const char* option) {
    if (!vm.count(option))
        return std::nullopt;
    return vm[option].as<std::string>();
}

void check_as_of(const std::string& value, std::string_view option) {
    std::optional<util::partial_date> d;
    try {
        d = util::parse_date(value);
    } catch (const std::invalid_argument& e) {
        throw argument_error(std::string(option) + ": " + e.what());
    }
    if (!d || d->precision != util::date_precision::day)
        throw argument_error(std::string(option) + " needs a full date (YYYY-MM-DD)");
}

std::unique_ptr<Command> make_command(std::string_view name) {
    for (const auto& c : all_commands())
        if (c.name == name)
            return c.make();
    return nullptr;
}

std::string suggest(std::string_view wrong, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::string::npos;
    for (const auto& c : candidates) {
        auto d = util::edit_distance(wrong, c);
        // a prefix ("--prof" for "--profile") is a good hint too
        if (c.rfind(std::string(wrong), 0) == 0 && wrong.size() >= 3)
            d = std::min<std::size_t>(d, 1);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    const auto limit = std::max<std::size_t>(2, wrong.size() / 3);
    return best_d <= limit ? best : std::string();
}

} // namespace porchlight::cli
