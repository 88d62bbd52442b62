// Copyright Vigil authors.
//
// scrub_cards.h: finds payment card numbers in text. A scanner, not a
// regular expression: a card is recognised by arithmetic (the Luhn check
// digit), and the grouping rules need a look at whole runs of digits.
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_CARDS_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_CARDS_H_

#include <string_view>
#include <vector>

#include "scrub_redaction.h"

namespace vigil::recorder::scrub_internal {

// FindCardNumbers()
//
// Adds to `out` every card number of `text`: 13 to 19 digits, written
// together or in groups separated by one space or one dash, that start with
// 2 to 6 (the major networks; this spares millisecond timestamps, which start
// with 1) and pass the Luhn check. Digits that continue a decimal number
// ("3.14159...") are not cards. A longer run of groups is searched for its
// longest card, so "order 12 4111 1111 1111 1111" still hides the card.
// Linear in the size of `text`.
void FindCardNumbers(std::string_view text, std::vector<Redaction>* out);

// IsCardNumber()
//
// Whether `digits` (digits only) is one card number by the rules above.
bool IsCardNumber(std::string_view digits);

}  // namespace vigil::recorder::scrub_internal

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_CARDS_H_
