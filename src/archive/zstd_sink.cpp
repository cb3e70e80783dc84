#include "archive/zstd_sink.hpp"

#include <zstd.h>

#include <vector>

#include "base/error.hpp"

namespace soulstone::archive {

namespace {

void check(size_t code, const char* what) {
  if (ZSTD_isError(code)) throw Error(ErrorKind::Failure, std::string(what) + ": " + ZSTD_getErrorName(code));
}

}  // namespace

struct ZstdCompressSink::State {
  ByteSink& next;
  ZSTD_CCtx* context = ZSTD_createCCtx();
  std::vector<char> out = std::vector<char>(ZSTD_CStreamOutSize());
  explicit State(ByteSink& sink) : next(sink) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() { ZSTD_freeCCtx(context); }

  void pump(std::string_view data, ZSTD_EndDirective mode) {
    ZSTD_inBuffer input{data.data(), data.size(), 0};
    for (;;) {
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      size_t left = ZSTD_compressStream2(context, &output, &input, mode);
      check(left, "zstd compression failed");
      if (output.pos > 0) next.write({out.data(), output.pos});
      bool done = mode == ZSTD_e_continue ? input.pos == input.size : left == 0;
      if (done) return;
    }
  }
};

ZstdCompressSink::ZstdCompressSink(ByteSink& next, const ZstdOptions& options)
    : state_(std::make_unique<State>(next)) {
  if (state_->context == nullptr) throw Error(ErrorKind::Failure, "cannot create a zstd context");
  check(ZSTD_CCtx_setParameter(state_->context, ZSTD_c_compressionLevel, options.level), "zstd level");
  check(ZSTD_CCtx_setParameter(state_->context, ZSTD_c_checksumFlag, 1), "zstd checksum");
  if (options.workers > 0)
    check(ZSTD_CCtx_setParameter(state_->context, ZSTD_c_nbWorkers, options.workers), "zstd workers");
}

ZstdCompressSink::~ZstdCompressSink() = default;

void ZstdCompressSink::write(std::string_view data) { state_->pump(data, ZSTD_e_continue); }

void ZstdCompressSink::finish() {
  state_->pump({}, ZSTD_e_end);
  state_->next.finish();
}

struct ZstdDecompressSink::State {
  ByteSink& next;
  ZSTD_DCtx* context = ZSTD_createDCtx();
  std::vector<char> out = std::vector<char>(ZSTD_DStreamOutSize());
  size_t last_hint = 0;  // 0 after a frame ends cleanly
  bool seen_input = false;
  explicit State(ByteSink& sink) : next(sink) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() { ZSTD_freeDCtx(context); }
};

ZstdDecompressSink::ZstdDecompressSink(ByteSink& next) : state_(std::make_unique<State>(next)) {
  if (state_->context == nullptr) throw Error(ErrorKind::Failure, "cannot create a zstd context");
}

ZstdDecompressSink::~ZstdDecompressSink() = default;

void ZstdDecompressSink::write(std::string_view data) {
  if (!data.empty()) state_->seen_input = true;
  ZSTD_inBuffer input{data.data(), data.size(), 0};
  // Loop until the input is used up and the decoder stops filling whole
  // output buffers, so nothing stays buffered inside it between writes.
  for (;;) {
    ZSTD_outBuffer output{state_->out.data(), state_->out.size(), 0};
    size_t hint = ZSTD_decompressStream(state_->context, &output, &input);
    if (ZSTD_isError(hint))
      throw Error(ErrorKind::Failure,
                  std::string("the archive is corrupt: zstd: ") + ZSTD_getErrorName(hint));
    state_->last_hint = hint;
    if (output.pos > 0) state_->next.write({state_->out.data(), output.pos});
    // Done when the input is used up and either the decoder did not fill the
    // buffer or a frame just ended (calling again would start the next one).
    if (input.pos == input.size && (output.pos < output.size || hint == 0)) return;
  }
}

void ZstdDecompressSink::finish() {
  // zstd reports 0 exactly when a frame has been decoded and flushed whole;
  // anything else means the input stopped inside a frame.
  if (!state_->seen_input || state_->last_hint != 0)
    throw Error(ErrorKind::Failure, "the archive is truncated: the zstd stream ends inside a frame");
  state_->next.finish();
}

}  // namespace soulstone::archive
