// Copyright Vigil authors.
//
// AttachmentGroup: the hook-engine attachments one integration makes,
// installed all together or not at all, and detached together.
#ifndef VIGIL_AGENT_INTEGRATIONS_ATTACHMENT_GROUP_H_
#define VIGIL_AGENT_INTEGRATIONS_ATTACHMENT_GROUP_H_

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/hook.h"

namespace vigil::agent {

class AttachmentGroup {
 public:
  // One install attempt. Keep() every attach result, then Commit().
  class Attempt {
   public:
    void Keep(StatusOr<Attachment> result);
    const std::vector<Attachment>& made() const { return made_; }

   private:
    friend class AttachmentGroup;
    std::vector<Attachment> made_;
    std::string failures_;
  };

  // The lock an install holds from the installed() check to Commit().
  std::mutex& mu() { return mu_; }
  // fork(): takes mu() and then the integration's own lock `also` (the
  // order installing uses); UnlockAfterFork releases both.
  void LockForFork(std::mutex& also) {
    mu_.lock();
    also.lock();
  }
  void UnlockAfterFork(std::mutex& also) {
    also.unlock();
    mu_.unlock();
  }
  bool installed() const { return installed_; }  // with mu() held

  // All or nothing (mu() held): if any attach failed, detaches the others,
  // sets `*error` to "<integration>: <reasons>" and returns false.
  bool Commit(Attempt attempt, std::string_view integration, std::string* error);

  // Detaches everything the group holds (takes mu()).
  void DetachAll();

 private:
  std::mutex mu_;
  bool installed_ = false;
  std::vector<Attachment> attachments_;
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_INTEGRATIONS_ATTACHMENT_GROUP_H_
