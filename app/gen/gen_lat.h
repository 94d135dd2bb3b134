/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_LAT_H
#define GEN_LAT_H

/*
 * Latency figures of emit-gen: the histograms of every TX stage (commit
 * to TX) or of every sender (batch wait) merged bucket by bucket, then
 * summarised in ns. Percentiles of the merge are those of all the samples
 * together, which an average of per-object percentiles is not.
 */

#include <stddef.h>
#include <stdint.h>

#include <emit_hist.h>
#include <emit_pipeline.h>

struct gen_lat {
	struct emit_hist h;   /* the merge, in ticks */
	uint64_t hz;          /* ticks per second; 0 until a histogram is in */
};

/* Empty @p l. */
void gen_lat_init(struct gen_lat *l);

/* Add @p h, in ticks of a clock of @p hz ticks per second, into @p l.
 * Returns 0, or -EINVAL if @p hz is 0 or not the rate of the histograms
 * already in @p l (nothing is added then). */
int gen_lat_add(struct gen_lat *l, const struct emit_hist *h, uint64_t hz);

/* Merge the commit-to-TX histograms of every TX stage of @p p (or the
 * batch-wait histograms of every sender) into @p l. Returns 0, or a
 * negative errno (then @p l holds the stages added before). */
int gen_lat_tx(struct gen_lat *l, const struct emit_pipeline *p);
int gen_lat_batch_wait(struct gen_lat *l, const struct emit_pipeline *p);

/* Summary of the samples added since @p base (NULL: all; see
 * emit_hist_summarize), every value but samples converted to ns as the
 * xstats do. All 0 when there is no sample. */
void gen_lat_summary(const struct gen_lat *l, const struct emit_hist_base *base,
		struct emit_hist_summary *ns);

/* @p ns for a person, into @p buf: "850 ns", "12.3 us", "4.56 ms",
 * "1.20 s". Returns @p buf. */
char *gen_lat_format(uint64_t ns, char *buf, size_t len);

#endif /* GEN_LAT_H */
