/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef CLI_PARSE_H
#define CLI_PARSE_H

/*
 * Value parsers of the options of both CLIs, so that a number means the
 * same in emit-gen and emit-sink: exact decimal arithmetic with K/M/G
 * (x1000) and Ki/Mi/Gi (x1024) suffixes, bit rates, seconds, MAC and
 * IPv4 addresses. No EAL needed. Each returns 0, or a negative errno with *why
 * set to a short static reason:
 *   -EINVAL  not a number / malformed / unknown suffix;
 *   -ERANGE  negative, too large, or not a whole number.
 */

#include <stdint.h>

/* Multiplier of a count suffix at @p s ("", K, M, G, Ki, Mi, Gi; K/M/G in
 * either case). Returns the multiplier and sets *len to the suffix
 * length, or 0 if @p s does not start with a suffix (then *len is 0). */
uint64_t cli_suffix_mult(const char *s, unsigned int *len);

/* A whole number with an optional count suffix, e.g. "1500", "2.5M",
 * "64Ki"; at most @p max. Fractions must give a whole number. */
int cli_parse_count(const char *s, uint64_t max, uint64_t *out,
		const char **why);

/* A rate: events/s ("0", "1.5M") or bits/s on the wire with a bps suffix
 * ("10Gbps", "100Mbps", "1Kbps", "9600bps"). *bps is 1 when given in bits
 * per second. At most @p max in its own unit. */
int cli_parse_rate(const char *s, uint64_t max, uint64_t *out, int *bps,
		const char **why);

/* Non-negative seconds with up to 9 decimals ("5", "0.25"), returned in
 * nanoseconds; at most @p max_s seconds. */
int cli_parse_seconds(const char *s, uint64_t max_s, uint64_t *ns,
		const char **why);

/* "xx:xx:xx:xx:xx:xx" (two hex digits per byte; ':' or '-'). */
int cli_parse_mac(const char *s, uint8_t mac[6], const char **why);

/* Dotted-quad IPv4 (no leading zeros), in host byte order. */
int cli_parse_ipv4(const char *s, uint32_t *ip, const char **why);

#endif /* CLI_PARSE_H */
