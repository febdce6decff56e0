#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace porchlight::util {

/// Runs a producer on a second thread, a few batches ahead of the consumer, so that
/// producing items (parsing a file) overlaps with consuming them (writing a database).
/// Memory is bounded by max_batches * batch_size items. Items are handed over by swap, and
/// spent batches go back to the producer, so buffers inside items are reused, not freed
/// and reallocated across threads. An exception thrown by the producer is rethrown by
/// next() at its place in the stream.
template <typename T> class Pipeline {
public:
    /// Fills its argument with the next item; false at the end. May throw.
    using producer = std::function<bool(T&)>;

    explicit Pipeline(producer produce, std::size_t batch_size = 512, std::size_t max_batches = 8)
        : m_produce(std::move(produce)), m_batch_size(batch_size), m_max_batches(max_batches),
          m_thread([this] { run(); }) {}

    ~Pipeline() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_space.notify_all();
        m_thread.join();
    }

    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// Swaps the next item into item; false at the end.
    bool next(T& item) {
        while (m_pos >= m_current.items.size()) {
            if (m_current.last) {
                if (m_current.failure)
                    std::rethrow_exception(m_current.failure);
                return false;
            }
            std::unique_lock<std::mutex> lock(m_mutex);
            if (!m_current.items.empty())
                m_free.push_back(std::move(m_current));
            m_ready.wait(lock, [&] { return !m_queue.empty(); });
            m_current = std::move(m_queue.front());
            m_queue.pop_front();
            m_pos = 0;
            lock.unlock();
            m_space.notify_one();
        }
        using std::swap;
        swap(item, m_current.items[m_pos++]);
        return true;
    }

private:
    struct batch {
        std::vector<T> items;
        bool last = false;
        std::exception_ptr failure;
    };

    void run() {
        bool done = false;
        while (!done) {
            batch b;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                if (!m_free.empty()) {
                    b = std::move(m_free.back());
                    m_free.pop_back();
                }
            }
            b.last = false;
            b.failure = nullptr;
            b.items.resize(m_batch_size);
            std::size_t n = 0;
            try {
                while (n < m_batch_size) {
                    if (!m_produce(b.items[n])) {
                        b.last = true;
                        break;
                    }
                    ++n;
                }
            } catch (...) {
                b.failure = std::current_exception();
                b.last = true;
            }
            b.items.resize(n);
            done = b.last;
            std::unique_lock<std::mutex> lock(m_mutex);
            m_space.wait(lock, [&] { return m_stop || m_queue.size() < m_max_batches; });
            if (m_stop)
                return;
            m_queue.push_back(std::move(b));
            lock.unlock();
            m_ready.notify_one();
        }
    }

    producer m_produce;
    std::size_t m_batch_size;
    std::size_t m_max_batches;
    std::mutex m_mutex;
    std::condition_variable m_ready, m_space;
    std::deque<batch> m_queue;
    std::vector<batch> m_free;
    bool m_stop = false;
    batch m_current;
    std::size_t m_pos = 0;
    std::thread m_thread; // last: started once everything above is constructed
};

} // namespace porchlight::util
