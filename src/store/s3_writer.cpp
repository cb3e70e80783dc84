#include "store/s3_writer.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "base/error.hpp"
#include "store/digest.hpp"
#include "store/part_plan.hpp"
#include "store/s3_client.hpp"
#include "store/xml.hpp"

namespace soulstone::store {

namespace {

std::string unquote(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return etag;
}

struct Part {
  int number = 0;
  std::string data;
};

class S3Writer final : public ObjectWriter {
 public:
  S3Writer(std::shared_ptr<const S3Config> config, std::string key, std::string relative_key)
      : config_(std::move(config)),
        key_(std::move(key)),
        relative_key_(std::move(relative_key)),
        plan_{.min_part_size = config_->min_part_size, .max_parts = config_->max_parts},
        client_(config_),
        part_size_(plan_.size_of(1)) {}

  ~S3Writer() override {
    if (committed_) return;
    stop_workers(/*cancel=*/true);
    abort_upload();
  }

  S3Writer(const S3Writer&) = delete;
  S3Writer& operator=(const S3Writer&) = delete;

  void write(std::string_view data) override {
    rethrow_failure();
    while (!data.empty()) {
      std::size_t room = static_cast<std::size_t>(part_size_ - buffer_.size());
      std::size_t take = std::min(room, data.size());
      // Reserve the whole part only once the object is clearly not a small
      // one (manifests and locks stay small), so the buffer never regrows.
      if (buffer_.capacity() < part_size_ && buffer_.size() + take > (1u << 20)) buffer_.reserve(part_size_);
      buffer_.append(data.substr(0, take));
      data.remove_prefix(take);
      total_ += take;
      if (buffer_.size() == part_size_) submit();
    }
  }

  ObjectInfo commit() override {
    rethrow_failure();
    if (upload_id_.empty()) {
      put_whole();
    } else {
      if (!buffer_.empty()) submit();
      wait_for_parts();
      stop_workers(/*cancel=*/false);
      complete();
    }
    committed_ = true;
    return {.key = relative_key_, .size = total_, .modified = std::chrono::system_clock::now()};
  }

 private:
  void put_whole() {
    Md5 sum = md5(buffer_);
    HttpResponse response = client_.send({.method = "PUT",
                                          .key = key_,
                                          .headers = {"Content-MD5: " + to_base64(sum.data(), sum.size())},
                                          .body = buffer_,
                                          .what = "upload of"});
    check_etag(response, to_hex(sum.data(), sum.size()), "the object");
  }

  void check_etag(const HttpResponse& response, const std::string& expected, const std::string& what) const {
    auto it = response.headers.find("etag");
    if (it == response.headers.end() || !etag_is_md5(response.headers)) return;
    std::string etag = unquote(it->second);
    if (etag != expected)
      throw Error(ErrorKind::Storage,
                  "S3 stored different bytes for " + what + " of s3://" + config_->bucket + "/" + key_ +
                      " (ETag " + etag + ", MD5 sent " + expected + ")",
                  "the data was damaged on its way; run again");
  }

  // Hands the full buffer to the upload threads, first waiting until the
  // parts in flight leave room for it.
  void submit() {
    if (upload_id_.empty()) start_upload();
    int number = next_part_++;
    if (number > plan_.max_parts)
      throw Error(
          ErrorKind::Storage,
          "the object s3://" + config_->bucket + "/" + key_ + " outgrew " + std::to_string(plan_.max_parts) +
              " parts (" + std::to_string(plan_.capacity() >> 20) + " MiB)",
          "raise SOULSTONE_S3_PART_SIZE or SOULSTONE_S3_MAX_PARTS (if the service allows more parts)");
    int limit = PartPlan::in_flight(buffer_.size(), config_->upload_memory, config_->parallel_parts);
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return failure_ || in_flight_ < limit; });
      if (failure_) std::rethrow_exception(failure_);
      queue_.push_back({number, std::move(buffer_)});
      ++in_flight_;
    }
    changed_.notify_all();
    buffer_ = std::string();
    part_size_ = plan_.size_of(next_part_);
    while (static_cast<int>(workers_.size()) < std::min(config_->parallel_parts, limit))
      workers_.emplace_back([this] { upload_parts(); });
  }

  void start_upload() {
    HttpResponse response =
        client_.send({.method = "POST", .key = key_, .query = "uploads=", .what = "start of the upload of"});
    upload_id_ = xml::text(response.body, "UploadId").value_or("");
    if (upload_id_.empty())
      throw Error(ErrorKind::Storage, "S3 gave no UploadId for s3://" + config_->bucket + "/" + key_);
  }

  void upload_parts() {
    std::optional<S3Client> client;
    for (;;) {
      Part part;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty() || cancel_) return;
        part = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        if (!client) client.emplace(config_, &cancel_);
        Md5 sum = md5(part.data);
        std::string hex = to_hex(sum.data(), sum.size());
        HttpResponse response =
            client->send({.method = "PUT",
                          .key = key_,
                          .query = "partNumber=" + std::to_string(part.number) +
                                   "&uploadId=" + uri_encode(upload_id_, false),
                          .headers = {"Content-MD5: " + to_base64(sum.data(), sum.size())},
                          .body = part.data,
                          .what = "upload of part " + std::to_string(part.number) + " of"});
        check_etag(response, hex, "part " + std::to_string(part.number));
        std::lock_guard lock(mutex_);
        done_[part.number] = sum;
        --in_flight_;
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!failure_) failure_ = std::current_exception();
        cancel_ = true;  // the other transfers stop at once
      }
      changed_.notify_all();
    }
  }

  void wait_for_parts() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return failure_ || in_flight_ == 0; });
    if (failure_) std::rethrow_exception(failure_);
  }

  void stop_workers(bool cancel) noexcept {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      if (cancel) cancel_ = true;
    }
    changed_.notify_all();
    for (auto& worker : workers_)
      worker.join();
    workers_.clear();
  }

  void rethrow_failure() {
    std::lock_guard lock(mutex_);
    if (failure_) std::rethrow_exception(failure_);
  }

  void complete() {
    std::string body = "<CompleteMultipartUpload>";
    std::vector<Md5> sums;
    for (const auto& [number, sum] : done_) {
      body += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>\"" +
              to_hex(sum.data(), sum.size()) + "\"</ETag></Part>";
      sums.push_back(sum);
    }
    body += "</CompleteMultipartUpload>";
    HttpResponse response = client_.send({.method = "POST",
                                          .key = key_,
                                          .query = "uploadId=" + uri_encode(upload_id_, false),
                                          .headers = {"Content-Type: application/xml"},
                                          .body = body,
                                          .accept = {404},
                                          .what = "completion of the upload of"});
    if (response.status == 404) {
      // A retried completion finds the upload gone when the first attempt
      // did complete it but its reply was lost: the object then exists.
      HttpResponse head = client_.send({.method = "HEAD", .key = key_, .accept = {404}, .what = "check of"});
      if (head.status == 404 || std::stoull(head.headers["content-length"]) != total_)
        throw Error(ErrorKind::Storage,
                    "S3 lost the multipart upload of s3://" + config_->bucket + "/" + key_, "run again");
      upload_id_.clear();
      return;
    }
    upload_id_.clear();  // completed: nothing left to abort
    std::string etag = unquote(xml::text(response.body, "ETag").value_or(""));
    // AWS's multipart ETag is computable from our part MD5s; services that
    // return the whole object's MD5 instead (s3rver) were checked part by part.
    if (etag.find('-') != std::string::npos && etag_is_md5(response.headers) &&
        etag != multipart_etag(sums)) {
      (void)client_.send({.method = "DELETE", .key = key_, .accept = {404}, .what = "removal of"});
      throw Error(ErrorKind::Storage,
                  "S3 assembled different bytes for s3://" + config_->bucket + "/" + key_ + " (ETag " + etag +
                      ", expected " + multipart_etag(sums) + "); the object was removed",
                  "run again");
    }
  }

  // Best effort: the upload's parts cost storage until aborted (the
  // lifecycle rule's AbortIncompleteMultipartUpload is the safety net).
  void abort_upload() noexcept {
    if (upload_id_.empty()) return;
    try {
      auto config = std::make_shared<S3Config>(*config_);
      config->max_attempts = std::min(config->max_attempts, 3);
      S3Client client(config);
      (void)client.send({.method = "DELETE",
                         .key = key_,
                         .query = "uploadId=" + uri_encode(upload_id_, false),
                         .accept = {404, 405, 501},
                         .what = "abort of the upload of"});
    } catch (...) {
    }
  }

  std::shared_ptr<const S3Config> config_;
  std::string key_, relative_key_;
  PartPlan plan_;
  S3Client client_;  // this thread's: start, single put, completion
  std::string buffer_;
  std::uint64_t part_size_;
  int next_part_ = 1;
  std::uint64_t total_ = 0;
  std::string upload_id_;
  bool committed_ = false;

  std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  std::deque<Part> queue_;
  int in_flight_ = 0;  // queued or uploading
  std::map<int, Md5> done_;
  std::exception_ptr failure_;
  std::atomic<bool> cancel_{false};
  bool closing_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

bool etag_is_md5(const Headers& headers) {
  auto sse = headers.find("x-amz-server-side-encryption");
  if (sse != headers.end() && sse->second.rfind("aws:kms", 0) == 0) return false;
  return headers.find("x-amz-server-side-encryption-customer-algorithm") == headers.end();
}

std::unique_ptr<ObjectWriter> make_s3_writer(std::shared_ptr<const S3Config> config, std::string key,
                                             std::string relative_key) {
  return std::make_unique<S3Writer>(std::move(config), std::move(key), std::move(relative_key));
}

}  // namespace soulstone::store
