#include "json/reader.hpp"

#include "json/reader_detail.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

namespace gp::json {

namespace bj = boost::json;
using detail::error_message;
using detail::key_start;
using detail::literal_start;
using detail::position_in;
using detail::sequence_start;

namespace {

// One open object or array. The path of the value being read is the chain of frames: an object
// frame contributes the key whose value comes next, an array frame the element's index.
struct Frame {
    static constexpr std::size_t few_keys = 16;

    bool is_object = false;
    std::size_t index = 0;  // elements completed
    std::string key;
    // The keys so far: the first few in `few` (searched in order: most objects have a handful),
    // then all of them in `many`. Storage is kept when the frame is reused.
    std::size_t keys = 0;
    std::vector<std::string> few;
    std::unordered_set<std::string> many;

    void reset(bool object) {
        is_object = object;
        index = 0;
        key.clear();
        keys = 0;
        if (!many.empty()) {
            many.clear();
        }
    }
    // False if the object has the key already.
    bool add(const std::string& name) {
        if (keys < few_keys) {
            const auto end = few.begin() + static_cast<std::ptrdiff_t>(keys);
            if (std::find(few.begin(), end, name) != end) {
                return false;
            }
            if (keys < few.size()) {
                few[keys] = name;
            } else {
                few.push_back(name);
            }
        } else {
            if (keys == few_keys) {
                many.insert(few.begin(), few.begin() + static_cast<std::ptrdiff_t>(few_keys));
            }
            if (!many.insert(name).second) {
                return false;
            }
        }
        ++keys;
        return true;
    }
};

// The open frames, innermost last. A frame's storage is kept for the next container at its
// depth: a plan opens and closes objects by the million.
class Frames {
  public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Frame& back() { return frames_[size_ - 1]; }
    const Frame& back() const { return frames_[size_ - 1]; }
    const Frame& operator[](std::size_t i) const { return frames_[i]; }
    void push(bool is_object) {
        if (size_ == frames_.size()) {
            frames_.emplace_back();
        }
        frames_[size_++].reset(is_object);
    }
    void pop() { --size_; }

  private:
    std::vector<Frame> frames_;
    std::size_t size_ = 0;
};

// Why the handler stopped the parser.
struct Stop {
    bool at_quote = false;  // placed at the opening quote of the key or string stopped in
    std::string path;
    std::string message;
    std::exception_ptr error;  // a client's exception
};

std::string what_of(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

// The basic_parser handler: keeps the frames, refuses duplicate keys and what passes the limits,
// builds the captured values with a value_stack (as boost::json::parser does) and calls the
// client. Any error stops the parser with error::exception; stop() says which.
class Handler {
  public:
    // Boost's own limits stay off: the Limits are checked here, where a failure gets a path.
    static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

    Handler(ReaderClient& client, Limits limits) : client_(client), limits_(limits) {}

    bool on_document_begin(bj::error_code&) { return true; }
    bool on_document_end(bj::error_code&) { return true; }

    bool on_object_begin(bj::error_code& ec) { return open(bj::kind::object, ec); }
    bool on_object_end(std::size_t n, bj::error_code& ec) { return close(bj::kind::object, n, ec); }
    bool on_array_begin(bj::error_code& ec) { return open(bj::kind::array, ec); }
    bool on_array_end(std::size_t n, bj::error_code& ec) { return close(bj::kind::array, n, ec); }

    bool on_key_part(bj::string_view s, std::size_t n, bj::error_code& ec) {
        if (n > limits_.max_key_size) {
            return too_large(ec, true, path_of(frames_.size() - 1), "a key", limits_.max_key_size);
        }
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(bj::string_view s, std::size_t n, bj::error_code& ec) {
        if (!on_key_part(s, n, ec)) {
            return false;
        }
        Frame& object = frames_.back();
        if (object.keys >= limits_.max_object_size) {
            return halt(ec, Stop{true, path_of(frames_.size() - 1),
                                 "an object with more than " +
                                     std::to_string(limits_.max_object_size) + " keys",
                                 nullptr});
        }
        object.key = key_;
        if (!object.add(key_)) {
            return halt(ec, Stop{true, path_of(frames_.size()),
                                 "duplicate key " + bj::serialize(bj::string_view(key_)), nullptr});
        }
        if (capturing_) {
            stack_.push_key(key_);
        } else if (!call(
                       ec, [&] { client_.key(frames_.size() - 1, key_); }, true)) {
            return false;
        }
        key_.clear();
        return true;
    }

    bool on_string_part(bj::string_view s, std::size_t n, bj::error_code& ec) {
        if (n > limits_.max_string_size) {
            // Placed where the reader stands: the opening quote may be far behind.
            return too_large(ec, false, path_of(frames_.size()), "a string",
                             limits_.max_string_size);
        }
        if (!in_string_) {
            in_string_ = true;
            if (!begin(bj::kind::string, ec)) {
                return false;
            }
        }
        if (capturing_) {
            stack_.push_chars(s);
        }
        return true;
    }
    bool on_string(bj::string_view s, std::size_t n, bj::error_code& ec) {
        if (!on_string_part(s, n, ec)) {
            return false;
        }
        in_string_ = false;
        if (capturing_) {
            stack_.push_string({});  // makes the string of the characters pushed before
        }
        return done(ec);
    }

    bool on_number_part(bj::string_view, bj::error_code&) { return true; }
    bool on_int64(std::int64_t i, bj::string_view, bj::error_code& ec) {
        return scalar(bj::kind::int64, ec, [&] { stack_.push_int64(i); });
    }
    bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code& ec) {
        return scalar(bj::kind::uint64, ec, [&] { stack_.push_uint64(u); });
    }
    bool on_double(double d, bj::string_view, bj::error_code& ec) {
        return scalar(bj::kind::double_, ec, [&] { stack_.push_double(d); });
    }
    bool on_bool(bool b, bj::error_code& ec) {
        return scalar(bj::kind::bool_, ec, [&] { stack_.push_bool(b); });
    }
    bool on_null(bj::error_code& ec) {
        return scalar(bj::kind::null, ec, [&] { stack_.push_null(); });
    }
    // Comments are off in the parse options; these only satisfy the handler concept.
    bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
    bool on_comment(bj::string_view, bj::error_code&) { return true; }

    const std::optional<Stop>& stop() const { return stop_; }

  private:
    std::string path_of(std::size_t frames) const {
        std::string path;
        for (std::size_t i = 0; i < frames && i < frames_.size(); ++i) {
            const Frame& frame = frames_[i];
            path = frame.is_object ? append_key(path, frame.key) : append_index(path, frame.index);
        }
        return path;
    }

    bool halt(bj::error_code& ec, Stop stop) {
        stop_ = std::move(stop);
        ec = bj::error::exception;
        return false;
    }
    bool too_large(bj::error_code& ec, bool at_quote, std::string path, const char* what,
                   std::size_t limit) {
        return halt(ec, Stop{at_quote, std::move(path),
                             std::string(what) + " longer than " + std::to_string(limit) + " bytes",
                             nullptr});
    }

    // Calls the client; an exception stops the parser (basic_parser must not be unwound through:
    // it would refuse any further call) and is kept, with the path of where the reader stood
    // (at_key: an exception about a key is placed at the key).
    template <class F>
    bool call(bj::error_code& ec, F f, bool at_key = false) {
        try {
            f();
            return true;
        } catch (...) {
            std::exception_ptr error = std::current_exception();
            std::string message = what_of(error);
            return halt(ec, Stop{at_key, path_of(frames_.size()), std::move(message), error});
        }
    }

    // A value starts: the client decides, unless it is part of a value being captured.
    bool begin(bj::kind kind, bj::error_code& ec) {
        if (capturing_) {
            return true;
        }
        const std::size_t depth = frames_.size();
        std::string path = path_of(depth);
        bool capture = false;
        if (!call(ec, [&] { capture = client_.begin(depth, path, kind); })) {
            return false;
        }
        if (capture) {
            capturing_ = true;
            capture_depth_ = depth;
            capture_path_ = std::move(path);
            stack_.reset();
        }
        return true;
    }

    // A value ends: a captured one goes to the client; an array counts it.
    bool done(bj::error_code& ec) {
        if (capturing_ && frames_.size() == capture_depth_) {
            capturing_ = false;
            if (!call(ec,
                      [&] { client_.value(capture_depth_, capture_path_, stack_.release()); })) {
                return false;
            }
        }
        if (!frames_.empty() && !frames_.back().is_object) {
            ++frames_.back().index;
        }
        return true;
    }

    template <class Push>
    bool scalar(bj::kind kind, bj::error_code& ec, Push push) {
        if (!begin(kind, ec)) {
            return false;
        }
        if (capturing_) {
            push();
        }
        return done(ec);
    }

    bool open(bj::kind kind, bj::error_code& ec) {
        if (!begin(kind, ec)) {
            return false;
        }
        frames_.push(kind == bj::kind::object);
        return true;
    }

    bool close(bj::kind kind, std::size_t n, bj::error_code& ec) {
        frames_.pop();
        if (capturing_) {
            if (kind == bj::kind::object) {
                stack_.push_object(n);
            } else {
                stack_.push_array(n);
            }
        } else if (!call(ec, [&] { client_.end(frames_.size(), kind); })) {
            return false;
        }
        return done(ec);
    }

    ReaderClient& client_;
    Limits limits_;
    Frames frames_;
    std::string key_;  // the key being received, which may come in parts
    bool in_string_ = false;
    bj::value_stack stack_;
    bool capturing_ = false;
    std::size_t capture_depth_ = 0;
    std::string capture_path_;
    std::optional<Stop> stop_;
};

}  // namespace

std::string to_string(const Position& position) {
    return "line " + std::to_string(position.line) + ", column " + std::to_string(position.column);
}

class StrictReader::Impl {
  public:
    Impl(ReaderClient& client, Limits limits) : parser_(bj::parse_options{}, client, limits) {}

    bool write(std::string_view chunk, bool last);

    bj::basic_parser<Handler> parser_;
    Position start_;  // of the chunk being read; after the last one read, once it is read
    // The text just before the chunk being read, up to window_size bytes, and where it starts:
    // a key whose duplicate stops the parser may start there, the hint of a syntax error too.
    static constexpr std::size_t window_size = 64 * 1024;
    std::string window_;
    Position window_start_;
    bool first_ = true;
    std::optional<ParseFailure> failure_;

  private:
    void fail(Position at, std::string path, std::string message) {
        failure_ = ParseFailure{std::move(path), at.line, at.column, std::move(message)};
    }
    void slide(std::string_view chunk) {
        window_.append(chunk);
        if (window_.size() > window_size) {
            const std::size_t drop = window_.size() - window_size;
            window_start_ = position_in(window_, drop, window_start_);
            window_.erase(0, drop);
        }
    }
};

bool StrictReader::Impl::write(std::string_view chunk, bool last) {
    if (failure_) {
        return false;
    }
    // A BOM is legal in some tools but not in JSON (RFC 8259); say so instead of "syntax error".
    if (std::exchange(first_, false) && chunk.starts_with("\xEF\xBB\xBF")) {
        fail(start_, "",
             "the text starts with a byte order mark (BOM); save it as UTF-8 without BOM");
        return false;
    }
    if (last && chunk.empty() && parser_.done()) {
        return true;
    }
    bj::error_code ec;
    const std::size_t used = parser_.write_some(!last, chunk.data(), chunk.size(), ec);
    const auto& stop = parser_.handler().stop();
    if (stop || ec || used < chunk.size()) {
        // The window and the chunk as one text (once, on failure; empty window for one chunk).
        const std::string text = window_ + std::string(chunk);
        const std::size_t offset = window_.size() + used;
        const Position at = position_in(text, offset, window_start_);
        if (stop) {
            const auto quote = stop->at_quote ? key_start(text, offset) : std::nullopt;
            fail(quote ? position_in(text, *quote, window_start_) : at, stop->path, stop->message);
        } else {  // write_some stops after the first complete document: used < chunk.size()
            const std::size_t place = ec == bj::error::syntax
                                          ? literal_start(text, sequence_start(text, offset))
                                          : offset;
            fail(position_in(text, place, window_start_), "",
                 error_message(text, place, ec ? ec : bj::error::extra_data));
        }
        return false;
    }
    if (!last) {
        if (window_.empty()) {
            window_start_ = start_;
        }
        slide(chunk);
    }
    start_ = position_in(chunk, chunk.size(), start_);
    return true;
}

StrictReader::StrictReader(ReaderClient& client, Limits limits)
    : impl_(std::make_unique<Impl>(client, limits)) {}

StrictReader::~StrictReader() = default;

bool StrictReader::write(std::string_view chunk, bool last) {
    return impl_->write(chunk, last);
}

const std::optional<ParseFailure>& StrictReader::failure() const {
    return impl_->failure_;
}

std::exception_ptr StrictReader::client_error() const {
    const auto& stop = impl_->parser_.handler().stop();
    return stop ? stop->error : nullptr;
}

Position StrictReader::position() const {
    return impl_->start_;
}

}  // namespace gp::json
