// Placeholder: replaced by the report's implementation.
#include <porchlight/error.hpp>
#include <porchlight/report/reports.hpp>

namespace porchlight::report {

report_result audit_report(store::Database&, const audit_report_options&) {
    throw error("report audit is not built yet");
}

} // namespace porchlight::report
