#pragma once

// The filter `partnerships` and `report partnerships` share.

namespace porchlight::report::detail {

/// WHERE clause over partnerships_view p: ?1 state code (NULL: any), ?2 a vendor name or
/// alias substring (normalised), ?3 a technology substring (normalised).
inline constexpr const char* partnership_filter =
    "WHERE (?1 IS NULL OR p.state = ?1) "
    "  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM partnerships q JOIN vendor_aliases va "
    "       ON va.vendor_id = q.vendor_id WHERE q.id = p.id AND va.norm LIKE '%' || ?2 || '%') "
    "       OR EXISTS (SELECT 1 FROM partnerships q JOIN vendors v ON v.id = q.vendor_id "
    "       WHERE q.id = p.id AND v.norm LIKE '%' || ?2 || '%')) "
    "  AND (?3 IS NULL OR EXISTS (SELECT 1 FROM partnerships q JOIN technologies t "
    "       ON t.id = q.technology_id WHERE q.id = p.id AND t.norm LIKE '%' || ?3 || '%')) ";

} // namespace porchlight::report::detail
