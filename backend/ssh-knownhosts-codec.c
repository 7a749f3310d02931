/*
 * ssh-knownhosts-codec.c -- base64 (RFC 4648) of known_hosts keys, and
 * SHA-1 and HMAC-SHA1 for hashed names (|1|salt|hash).  Small and
 * self-contained so that the known_hosts code needs no crypto library
 * (libssh may be built on OpenSSL, gcrypt or mbedTLS).
 */
#include <stdint.h>
#include <string.h>

#include "ssh-knownhosts.h"

/* SHA-1 (FIPS 180-4), enough for HMAC over short host names. */
struct kh_sha1 {
	uint32_t	 h[5];
	uint64_t	 len;
	unsigned char	 blk[64];
	size_t		 n;
};

static uint32_t
kh_rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void
kh_sha1_block(uint32_t *h, const unsigned char *p)
{
	uint32_t	w[80], a, b, c, d, e, f, k, t;
	int		i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = kh_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = kh_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = kh_rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static void
kh_sha1_init(struct kh_sha1 *s)
{
	static const uint32_t	iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe,
	    0x10325476, 0xc3d2e1f0 };

	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->n = 0;
}

static void
kh_sha1_update(struct kh_sha1 *s, const unsigned char *p, size_t len)
{
	size_t	take;

	s->len += len;
	while (len > 0) {
		take = 64 - s->n < len ? 64 - s->n : len;
		memcpy(s->blk + s->n, p, take);
		s->n += take;
		p += take;
		len -= take;
		if (s->n == 64) {
			kh_sha1_block(s->h, s->blk);
			s->n = 0;
		}
	}
}

static void
kh_sha1_final(struct kh_sha1 *s, unsigned char *out)
{
	uint64_t	bits = s->len * 8;
	unsigned char	pad = 0x80, zero = 0, lenb[8];
	int		i;

	kh_sha1_update(s, &pad, 1);
	while (s->n != 56)
		kh_sha1_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
	kh_sha1_update(s, lenb, 8);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void
knownhosts_sha1(const unsigned char *p, size_t len, unsigned char *out)
{
	struct kh_sha1	s;

	kh_sha1_init(&s);
	kh_sha1_update(&s, p, len);
	kh_sha1_final(&s, out);
}

void
knownhosts_hmac_sha1(const unsigned char *key, size_t keylen,
    const unsigned char *msg, size_t len, unsigned char *out)
{
	struct kh_sha1	s;
	unsigned char	k[64], pad[64], inner[20];
	size_t		i;

	memset(k, 0, sizeof k);
	if (keylen > sizeof k)
		knownhosts_sha1(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < sizeof pad; i++)
		pad[i] = k[i] ^ 0x36;
	kh_sha1_init(&s);
	kh_sha1_update(&s, pad, sizeof pad);
	kh_sha1_update(&s, msg, len);
	kh_sha1_final(&s, inner);
	for (i = 0; i < sizeof pad; i++)
		pad[i] = k[i] ^ 0x5c;
	kh_sha1_init(&s);
	kh_sha1_update(&s, pad, sizeof pad);
	kh_sha1_update(&s, inner, sizeof inner);
	kh_sha1_final(&s, out);
}

static const char kh_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
knownhosts_b64_encode(const unsigned char *p, size_t len)
{
	struct buf	b = BUF_INIT;
	uint32_t	v;
	size_t		i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_addch(&b, kh_b64[v >> 18 & 63]);
		buf_addch(&b, kh_b64[v >> 12 & 63]);
		buf_addch(&b, kh_b64[v >> 6 & 63]);
		buf_addch(&b, kh_b64[v & 63]);
	}
	if (len - i == 1) {
		v = (uint32_t)p[i] << 16;
		buf_addch(&b, kh_b64[v >> 18 & 63]);
		buf_addch(&b, kh_b64[v >> 12 & 63]);
		buf_addstr(&b, "==");
	} else if (len - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		buf_addch(&b, kh_b64[v >> 18 & 63]);
		buf_addch(&b, kh_b64[v >> 12 & 63]);
		buf_addch(&b, kh_b64[v >> 6 & 63]);
		buf_addch(&b, '=');
	}
	return buf_detach(&b);
}

int
knownhosts_b64_decode(const char *s, size_t len, struct buf *out)
{
	const char	*c;
	uint32_t	 v = 0;
	size_t		 i, n = 0, pad = 0;
	unsigned char	 byte;

	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || s[i] == '\0' ||
		    (c = strchr(kh_b64, s[i])) == NULL)
			return -1;
		v = v << 6 | (uint32_t)(c - kh_b64);
		if (++n % 4 == 0) {
			byte = (unsigned char)(v >> 16);
			buf_add(out, &byte, 1);
			byte = (unsigned char)(v >> 8);
			buf_add(out, &byte, 1);
			byte = (unsigned char)v;
			buf_add(out, &byte, 1);
			v = 0;
		}
	}
	switch (n % 4) {
	case 0:
		break;
	case 2:
		byte = (unsigned char)(v >> 4);
		buf_add(out, &byte, 1);
		break;
	case 3:
		byte = (unsigned char)(v >> 10);
		buf_add(out, &byte, 1);
		byte = (unsigned char)(v >> 2);
		buf_add(out, &byte, 1);
		break;
	default:
		return -1;
	}
	if (pad > 2 || (pad > 0 && (n + pad) % 4 != 0))
		return -1;
	return 0;
}
