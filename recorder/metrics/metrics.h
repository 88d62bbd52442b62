// Copyright Vigil authors.
//
// Vigil's lock-free metrics, all in one include: counters and latency
// histograms for the hot path, the registry that names them and collects
// them once per heartbeat interval, and the families the agent records.
#ifndef VIGIL_RECORDER_METRICS_METRICS_H_
#define VIGIL_RECORDER_METRICS_METRICS_H_

#include "counter.h"
#include "families.h"
#include "histogram.h"
#include "histogram_buckets.h"
#include "interval_metrics.h"
#include "registry.h"
#include "scoped_timer.h"

#endif  // VIGIL_RECORDER_METRICS_METRICS_H_
