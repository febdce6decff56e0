// Placeholder: replaced by the report's implementation.
#include <porchlight/error.hpp>
#include <porchlight/report/reports.hpp>

namespace porchlight::report {

report_result coverage_report(store::Database&, const std::filesystem::path&,
                              const coverage_report_options&) {
    throw error("report coverage is not built yet");
}

} // namespace porchlight::report
