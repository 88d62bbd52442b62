// Copyright Vigil authors.
#include "integrations/attachment_group.h"

namespace vigil::agent {

void AttachmentGroup::Attempt::Keep(StatusOr<Attachment> result) {
  if (result.ok()) {
    made_.push_back(*result);
  } else {
    failures_ += (failures_.empty() ? "" : "; ") + result.status().message();
  }
}

bool AttachmentGroup::Commit(Attempt attempt, std::string_view integration, std::string* error) {
  if (!attempt.failures_.empty()) {
    for (Attachment a : attempt.made_) (void)Detach(a);
    if (error != nullptr) *error = std::string(integration) + ": " + attempt.failures_;
    return false;
  }
  attachments_ = std::move(attempt.made_);
  installed_ = true;
  return true;
}

void AttachmentGroup::DetachAll() {
  std::lock_guard<std::mutex> lock(mu_);
  for (Attachment a : attachments_) (void)Detach(a);
  attachments_.clear();
  installed_ = false;
}

}  // namespace vigil::agent
