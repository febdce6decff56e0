// PDF text extraction benchmark, run by bench/run beside `pdftotext FILE OUTFILE`.
//
//   porchlight_bench_pdf IN.pdf OUT.txt [IN.pdf OUT.txt ...]
//
// For each pair: reads IN.pdf, calls porchlight::docs::parse_pdf on its bytes and writes
// the text of every page to OUT.txt the way pdftotext lays out its output file: each page
// followed by a form feed. Single-threaded, files in order. Prints "files N", "pages N",
// "bytes_in N", "bytes_out N" and "parse_s X" (the time spent inside parse_pdf) to stdout.
// Exits 1 when a file cannot be read, parsed or written, 2 on usage errors.
#include <porchlight/docs/document.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>

namespace {

bool read_file(const char* path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3 || (argc - 1) % 2 != 0) {
        std::fprintf(stderr, "usage: %s IN.pdf OUT.txt [IN.pdf OUT.txt ...]\n", argv[0]);
        return 2;
    }
    using clock = std::chrono::steady_clock;
    const porchlight::docs::limits lim;
    long files = 0;
    long pages = 0;
    unsigned long long bytes_in = 0;
    unsigned long long bytes_out = 0;
    clock::duration parse_time{};
    std::string bytes;
    std::string text;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char* in = argv[i];
        const char* out = argv[i + 1];
        if (!read_file(in, bytes)) {
            std::fprintf(stderr, "porchlight_bench_pdf: cannot read %s\n", in);
            return 1;
        }
        porchlight::docs::document doc;
        try {
            const auto t0 = clock::now();
            doc = porchlight::docs::parse_pdf(bytes, lim);
            parse_time += clock::now() - t0;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "porchlight_bench_pdf: %s: %s\n", in, e.what());
            return 1;
        }
        text.clear();
        for (const auto& p : doc.pages) {
            text += p.text;
            text += "\n\f";
        }
        std::ofstream o(out, std::ios::binary | std::ios::trunc);
        o.write(text.data(), static_cast<std::streamsize>(text.size()));
        o.close();
        if (!o) {
            std::fprintf(stderr, "porchlight_bench_pdf: cannot write %s\n", out);
            return 1;
        }
        ++files;
        pages += static_cast<long>(doc.pages.size());
        bytes_in += bytes.size();
        bytes_out += text.size();
    }
    std::printf("files %ld\npages %ld\nbytes_in %llu\nbytes_out %llu\nparse_s %.3f\n", files, pages, bytes_in,
                bytes_out, std::chrono::duration<double>(parse_time).count());
    return 0;
}
