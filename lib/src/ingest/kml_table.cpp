// KML and KMZ placemarks, read with pugixml (GDAL's KML drivers drop <address>): the
// columns are name, address, description and every ExtendedData field; a <Point> is the
// row's geometry.
#include "detail/readers.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/text.hpp>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace porchlight::ingest::detail {

namespace {

/// A read-only mapping of a whole file.
class mapped_file {
public:
    explicit mapped_file(const fs::path& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            throw error("cannot open " + path.string() + ": " + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            ::close(fd);
            throw error("cannot stat " + path.string() + ": " + std::strerror(errno));
        }
        m_size = static_cast<std::size_t>(st.st_size);
        if (m_size > 0) {
            void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                ::close(fd);
                throw error("cannot map " + path.string() + ": " + std::strerror(errno));
            }
            m_data = static_cast<const char*>(p);
            ::madvise(p, m_size, MADV_SEQUENTIAL);
        }
        ::close(fd);
    }
    ~mapped_file() {
        if (m_data)
            ::munmap(const_cast<char*>(m_data), m_size);
    }
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;
    std::string_view view() const { return {m_data ? m_data : "", m_size}; }

private:
    const char* m_data = nullptr;
    std::size_t m_size = 0;
};

std::string_view local_name(const pugi::xml_node& n) {
    std::string_view name = n.name();
    auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_local(const pugi::xml_node& n, std::string_view name) {
    for (auto c : n.children())
        if (local_name(c) == name)
            return c;
    return {};
}

/// Reads a whole file through GDAL's virtual file system (works for /vsizip/ paths).
std::string read_vsi(const std::string& path) {
    VSILFILE* fp = VSIFOpenL(path.c_str(), "rb");
    if (!fp)
        return {};
    std::string out;
    char buf[65536];
    size_t n;
    while ((n = VSIFReadL(buf, 1, sizeof buf, fp)) > 0)
        out.append(buf, n);
    VSIFCloseL(fp);
    return out;
}

class kml_reader final : public TableReader {
public:
    kml_reader(const fs::path& file, table_format format) : TableReader(file, format) {
        gdal_init();
        std::string text;
        if (format == table_format::kmz) {
            const std::string zip = "/vsizip/" + file.string();
            char** entries = VSIReadDirRecursive(zip.c_str());
            std::string inner;
            for (char** e = entries; e && *e; ++e) {
                std::string name = *e;
                if (util::to_lower_ascii(fs::path(name).extension().string()) == ".kml" &&
                    (inner.empty() || name == "doc.kml"))
                    inner = name;
            }
            CSLDestroy(entries);
            if (inner.empty())
                throw parse_error("not a KMZ archive with a .kml document inside", file.string());
            text = read_vsi(zip + "/" + inner);
        } else {
            mapped_file m(file);
            text = std::string(m.view());
        }
        if (text.empty())
            throw parse_error("file is empty", file.string());
        auto result = m_doc.load_buffer(text.data(), text.size(), pugi::parse_default,
                                        pugi::encoding_auto);
        if (!result) {
            const auto offset = static_cast<std::size_t>(result.offset);
            std::int64_t line = 1;
            for (std::size_t i = 0; i < offset && i < text.size(); ++i)
                line += text[i] == '\n';
            throw parse_error("not valid KML: " + std::string(result.description()) + " at line " +
                                  std::to_string(line),
                              file.string());
        }
        collect(m_doc.document_element());
        if (local_name(m_doc.document_element()) != "kml")
            throw parse_error("not KML: the root element is <" +
                                  std::string(m_doc.document_element().name()) + ">",
                              file.string());
        m_columns = {"name", "address", "description"};
        for (const auto& pm : m_placemarks)
            for_each_extended(pm, [&](const std::string& key, const std::string&) {
                if (std::find(m_columns.begin(), m_columns.end(), key) == m_columns.end())
                    m_columns.push_back(key);
            });
    }

    bool next(table_row& row) override {
        if (m_next >= m_placemarks.size())
            return false;
        const auto& pm = m_placemarks[m_next++];
        row.number = static_cast<std::int64_t>(m_next);
        row.values.assign(m_columns.size(), std::string());
        row.values[0] = child_local(pm, "name").text().get();
        row.values[1] = child_local(pm, "address").text().get();
        row.values[2] = child_local(pm, "description").text().get();
        for_each_extended(pm, [&](const std::string& key, const std::string& value) {
            auto it = std::find(m_columns.begin(), m_columns.end(), key);
            row.values[static_cast<std::size_t>(it - m_columns.begin())] = value;
        });
        for (auto& v : row.values)
            v = util::trim(v);
        row.wkt.reset();
        if (auto point = child_local(pm, "Point")) {
            auto coords = util::trim(child_local(point, "coordinates").text().get());
            auto parts = util::split(coords, ',');
            if (parts.size() >= 2) {
                try {
                    double lon = std::stod(parts[0]), lat = std::stod(parts[1]);
                    if (lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)
                        row.wkt = "POINT (" + util::trim(parts[0]) + " " + util::trim(parts[1]) + ")";
                } catch (const std::exception&) {
                }
            }
        }
        return true;
    }

private:
    void collect(const pugi::xml_node& n) {
        for (auto c : n.children()) {
            if (local_name(c) == "Placemark")
                m_placemarks.push_back(c);
            else if (c.type() == pugi::node_element)
                collect(c);
        }
    }

    template <typename F> static void for_each_extended(const pugi::xml_node& pm, F&& f) {
        auto ext = child_local(pm, "ExtendedData");
        if (!ext)
            return;
        for (auto c : ext.children()) {
            if (local_name(c) == "Data")
                f(std::string(c.attribute("name").value()), child_local(c, "value").text().get());
            else if (local_name(c) == "SchemaData")
                for (auto sd : c.children())
                    if (local_name(sd) == "SimpleData")
                        f(std::string(sd.attribute("name").value()), std::string(sd.text().get()));
        }
    }

    pugi::xml_document m_doc;
    std::vector<pugi::xml_node> m_placemarks;
    std::size_t m_next = 0;
};

} // namespace

std::unique_ptr<TableReader> open_kml_table(const fs::path& file, table_format format) {
    return std::make_unique<kml_reader>(file, format);
}

} // namespace porchlight::ingest::detail
