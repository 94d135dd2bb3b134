/* SPDX-License-Identifier: BSD-3-Clause */
/* Option values of the CLIs: exact decimals, suffixes, addresses. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "common/parse.h"

__extension__ typedef unsigned __int128 u128;

#define U128_MAX (~(u128)0)
/* Fraction digits kept; further ones only matter for exactness. */
#define FRAC_DIGITS_MAX 30

/* A decimal number: value = mant / 10^frac, exactly unless inexact. */
struct dec {
	u128 mant;
	unsigned int frac;
	int inexact; /* non-zero digits past FRAC_DIGITS_MAX were dropped */
};

static int
fail(const char **why, const char *reason, int err)
{
	*why = reason;
	return err;
}

static int
parse_dec(const char *s, struct dec *d, const char **end, const char **why)
{
	const char *p = s;
	int dot = 0, digits = 0;

	memset(d, 0, sizeof(*d));
	if (*p == '\0')
		return fail(why, "is empty", -EINVAL);
	if (*p == '-' && (isdigit((unsigned char)p[1]) || p[1] == '.'))
		return fail(why, "is negative", -ERANGE);
	for (;; p++) {
		unsigned int c = (unsigned char)*p;

		if (c == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (!isdigit(c))
			break;
		digits++;
		if (dot && d->frac == FRAC_DIGITS_MAX) {
			if (c != '0')
				d->inexact = 1;
			continue;
		}
		if (d->mant > (U128_MAX - 9) / 10)
			return fail(why, "is too large", -ERANGE);
		d->mant = d->mant * 10 + (c - '0');
		if (dot)
			d->frac++;
	}
	if (digits == 0 || p[-1] == '.')
		return fail(why, "is not a number", -EINVAL);
	/* 2.50 is 2.5: trailing zeros of the fraction change nothing. */
	while (d->frac > 0 && d->mant % 10 == 0) {
		d->mant /= 10;
		d->frac--;
	}
	*end = p;
	return 0;
}

static u128
pow10_u128(unsigned int n)
{
	u128 v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

/* value * mult, which must be a whole number no larger than max. */
static int
dec_apply(const struct dec *d, uint64_t mult, uint64_t max, uint64_t *out,
		const char **why)
{
	u128 v, p10;

	if (d->mant > U128_MAX / mult)
		return fail(why, "is too large", -ERANGE);
	v = d->mant * mult;
	p10 = pow10_u128(d->frac);
	if (d->inexact || v % p10 != 0)
		return fail(why, "is not a whole number", -ERANGE);
	v /= p10;
	if (v > max)
		return fail(why, "is too large", -ERANGE);
	*out = (uint64_t)v;
	return 0;
}

uint64_t
cli_suffix_mult(const char *s, unsigned int *len)
{
	uint64_t m;

	*len = 0;
	switch (s[0]) {
	case 'k':
	case 'K':
		m = 1000;
		break;
	case 'm':
	case 'M':
		m = 1000ull * 1000;
		break;
	case 'g':
	case 'G':
		m = 1000ull * 1000 * 1000;
		break;
	default:
		return s[0] == '\0' ? 1 : 0;
	}
	if (s[1] == 'i') {
		/* Ki, Mi, Gi: powers of 1024. */
		*len = 2;
		return m == 1000 ? 1ull << 10 : m == 1000000 ? 1ull << 20 :
			1ull << 30;
	}
	*len = 1;
	return m;
}

int
cli_parse_count(const char *s, uint64_t max, uint64_t *out, const char **why)
{
	const char *end;
	struct dec d;
	unsigned int len;
	uint64_t mult;
	int rc;

	rc = parse_dec(s, &d, &end, why);
	if (rc != 0)
		return rc;
	mult = cli_suffix_mult(end, &len);
	if (mult == 0 || end[len] != '\0')
		return fail(why, "has an unknown suffix", -EINVAL);
	return dec_apply(&d, mult, max, out, why);
}

int
cli_parse_rate(const char *s, uint64_t max, uint64_t *out, int *bps,
		const char **why)
{
	const char *end;
	struct dec d;
	unsigned int len;
	uint64_t mult;
	int rc;

	rc = parse_dec(s, &d, &end, why);
	if (rc != 0)
		return rc;
	*bps = 0;
	if (strcmp(end, "bps") == 0) {
		*bps = 1;
		mult = 1;
	} else {
		mult = cli_suffix_mult(end, &len);
		if (mult == 0)
			return fail(why, "has an unknown suffix", -EINVAL);
		if (strcmp(end + len, "bps") == 0) {
			if (len != 1) /* no binary prefixes for bit rates */
				return fail(why, "has an unknown suffix",
					-EINVAL);
			*bps = 1;
		} else if (end[len] != '\0') {
			return fail(why, "has an unknown suffix", -EINVAL);
		}
	}
	return dec_apply(&d, mult, max, out, why);
}

int
cli_parse_seconds(const char *s, uint64_t max_s, uint64_t *ns,
		const char **why)
{
	const char *end;
	struct dec d;
	u128 p10, v;
	int rc;

	rc = parse_dec(s, &d, &end, why);
	if (rc != 0)
		return rc;
	if (*end != '\0')
		return fail(why, "has an unknown suffix (seconds, e.g. 2.5)",
			-EINVAL);
	/* Nanoseconds are the resolution: drop digits past the ninth. */
	if (d.frac > 9) {
		d.mant /= pow10_u128(d.frac - 9);
		d.frac = 9;
	}
	p10 = pow10_u128(d.frac);
	if (d.mant / p10 > max_s ||
	    (d.mant / p10 == max_s && d.mant % p10 != 0))
		return fail(why, "is too large", -ERANGE);
	/* mant <= max_s * 10^9 here, so this cannot overflow 128 bits. */
	v = d.mant * (1000000000u / p10);
	*ns = (uint64_t)v;
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
cli_parse_mac(const char *s, uint8_t mac[6], const char **why)
{
	char sep;
	size_t i;

	if (strlen(s) != 17)
		return fail(why, "is not a MAC address", -EINVAL);
	sep = s[2];
	if (sep != ':' && sep != '-')
		return fail(why, "is not a MAC address", -EINVAL);
	for (i = 0; i < 6; i++) {
		int hi = hexval((unsigned char)s[3 * i]);
		int lo = hexval((unsigned char)s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != sep))
			return fail(why, "is not a MAC address", -EINVAL);
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int
cli_parse_ipv4(const char *s, uint32_t *ip, const char **why)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return fail(why, "is not an IPv4 address", -EINVAL);
	*ip = ntohl(a.s_addr);
	return 0;
}
