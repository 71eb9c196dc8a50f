/* Identifier rules (see ident.h and docs/definitions.md). */
#include "registry/ident.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool digits_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Copy `in` without surrounding blanks into `tmp` (of `size`); false when it does not fit. */
static bool trimmed(const char *in, char *tmp, size_t size)
{
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n >= size)
		return false;
	memcpy(tmp, in, n);
	tmp[n] = '\0';
	return true;
}

bool bsn_elfproef(const char d[9])
{
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (9 - i) * (d[i] - '0');
	sum -= d[8] - '0';
	/* RvIG: the weighted sum is a multiple of 11 and not 0 (so 000000000 and 000000012 fail). */
	return sum != 0 && sum % 11 == 0;
}

/*
 * At most 20 bytes of a value for a message, cut on a UTF-8 character boundary (a cut
 * character would make the message, and any JSON carrying it, invalid), with control
 * characters shown as '?'.
 */
#define SHOWN_SIZE 24
static const char *shown(const char *in, char out[SHOWN_SIZE])
{
	size_t n = 0;
	while (in[n] && n < 20)
		n++;
	while (n && in[n] && ((unsigned char)in[n] & 0xC0) == 0x80)
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)in[i] < 0x20 ? '?' : in[i];
	out[n] = '\0';
	return out;
}

void ident_mask_bsn(const char *in, char out[BSN_MASKED_SIZE])
{
	size_t len = strlen(in), n = len > 9 ? 9 : len;
	size_t keep = n > 3 ? 3 : 0;
	for (size_t i = 0; i < n; i++)
		out[i] = '*';
	/* Only digits of the tail are shown: anything else could be part of a longer secret or
	 * half of a UTF-8 character. */
	for (size_t i = 0; i < keep; i++) {
		char c = in[len - keep + i];
		if (isdigit((unsigned char)c))
			out[n - keep + i] = c;
	}
	out[n] = '\0';
}

int ident_bsn(const char *in, const char *field, char out[BSN_SIZE], struct err *e)
{
	char tmp[16], masked[BSN_MASKED_SIZE];
	if (!trimmed(in, tmp, sizeof(tmp))) {
		ident_mask_bsn(in, masked);
		return err_set(e, ERR_INVALID,
			       "field %s: '%s…' is not a BSN (rule: 9 digits, or 8 with a leading 0 "
			       "left off)",
			       field, masked);
	}
	ident_mask_bsn(tmp, masked); /* of the value without blanks, so its tail is digits */
	size_t n = strlen(tmp);
	if ((n != 8 && n != 9) || !digits_only(tmp, n))
		return err_set(e, ERR_INVALID,
			       "field %s: '%s' is not a BSN (rule: 9 digits, or 8 with a leading 0 "
			       "left off)",
			       field, masked);
	char d[BSN_SIZE];
	if (n == 8) {
		d[0] = '0';
		memcpy(d + 1, tmp, 9);
	} else {
		memcpy(d, tmp, 10);
	}
	if (strcmp(d, "000000000") == 0)
		return err_set(e, ERR_INVALID, "field %s: '%s' is not a BSN (rule: not all zeros)",
			       field, masked);
	if (!bsn_elfproef(d))
		return err_set(e, ERR_INVALID,
			       "field %s: '%s' is not a BSN (rule: elfproef, 9·d1 + 8·d2 + … + "
			       "2·d8 − d9 must be a multiple of 11 and not 0)",
			       field, masked);
	memcpy(out, d, BSN_SIZE);
	return 0;
}

bool ident_bsn_complete(uint32_t first8, char out[BSN_SIZE])
{
	if (first8 > 99999999u)
		return false;
	snprintf(out, BSN_SIZE, "%08u0", first8);
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (9 - i) * (out[i] - '0');
	int check = sum % 11; /* sum − d9 ≡ 0 (mod 11) */
	if (check > 9 || (first8 == 0 && check == 0))
		return false;
	out[8] = (char)('0' + check);
	return true;
}

int ident_brin(const char *in, const char *field, char out[BRIN_SIZE], struct err *e)
{
	char tmp[16], v[SHOWN_SIZE];
	if (!trimmed(in, tmp, sizeof(tmp)))
		goto bad;
	size_t n = strlen(tmp);
	char code[BRIN_SIZE];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tmp[i];
		if ((c == ' ' || c == '-') && i == 4)
			continue;
		if (k == 6)
			goto bad;
		code[k++] = (char)toupper(c);
	}
	code[k] = '\0';
	if (k != 6)
		goto bad;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)code[i]) && !(code[i] >= 'A' && code[i] <= 'Z'))
			goto bad;
	if (!digits_only(code + 4, 2))
		goto bad;
	memcpy(out, code, BRIN_SIZE);
	return 0;
bad:
	return err_set(e, ERR_INVALID,
		       "field %s: '%s' is not a BRIN with vestiging (rule: 4 characters 0-9/A-Z "
		       "and a 2-digit vestiging number, e.g. 12AB00)",
		       field, shown(in, v));
}

static int fixed_digits(const char *in, size_t len, const char *field, const char *what,
			char *out, struct err *e)
{
	char tmp[32], v[SHOWN_SIZE];
	if (!trimmed(in, tmp, sizeof(tmp)) || strlen(tmp) != len || !digits_only(tmp, len))
		return err_set(e, ERR_INVALID, "field %s: '%s' is not %s (rule: exactly %zu digits)",
			       field, shown(in, v), what, len);
	memcpy(out, tmp, len + 1);
	return 0;
}

int ident_agb(const char *in, const char *field, char out[AGB_SIZE], struct err *e)
{
	return fixed_digits(in, 8, field, "an AGB code", out, e);
}

int ident_kvk(const char *in, const char *field, char out[KVK_SIZE], struct err *e)
{
	return fixed_digits(in, 8, field, "a KvK number", out, e);
}

int ident_crebo(const char *in, const char *field, char out[CREBO_SIZE], struct err *e)
{
	return fixed_digits(in, 5, field, "a crebo code", out, e);
}

int ident_gemeente(const char *in, const char *field, char out[GEMEENTE_SIZE], struct err *e)
{
	char tmp[16], v[SHOWN_SIZE];
	if (!trimmed(in, tmp, sizeof(tmp)))
		goto bad;
	const char *digits = tmp;
	if ((tmp[0] == 'G' || tmp[0] == 'g') && (tmp[1] == 'M' || tmp[1] == 'm'))
		digits += 2;
	if (strlen(digits) != 4 || !digits_only(digits, 4))
		goto bad;
	out[0] = 'G';
	out[1] = 'M';
	memcpy(out + 2, digits, 5); /* 4 digits and the NUL */
	return 0;
bad:
	return err_set(e, ERR_INVALID,
		       "field %s: '%s' is not a CBS gemeentecode (rule: GM and 4 digits, e.g. "
		       "GM0935)",
		       field, shown(in, v));
}

int ident_region_code(const char *in, const char *prefix, const char *field,
		      char out[REGION_CODE_SIZE], struct err *e)
{
	char tmp[16], v[SHOWN_SIZE];
	if (!trimmed(in, tmp, sizeof(tmp)))
		goto bad;
	const char *digits = tmp;
	if (strncasecmp(tmp, prefix, 2) == 0)
		digits += 2;
	size_t n = strlen(digits);
	if (n < 1 || n > 2 || !digits_only(digits, n))
		goto bad;
	snprintf(out, REGION_CODE_SIZE, "%.2s%02d", prefix, atoi(digits));
	return 0;
bad:
	return err_set(e, ERR_INVALID,
		       "field %s: '%s' is not a CBS region code (rule: %s and 2 digits)", field,
		       shown(in, v), prefix);
}

int ident_postcode(const char *in, const char *field, char out[POSTCODE_SIZE], struct err *e)
{
	char tmp[16], code[POSTCODE_SIZE], v[SHOWN_SIZE];
	size_t k = 0;
	if (!trimmed(in, tmp, sizeof(tmp)))
		goto bad;
	for (size_t i = 0; tmp[i]; i++) {
		if (tmp[i] == ' ' && i == 4)
			continue;
		if (k == 6)
			goto bad;
		code[k++] = (char)toupper((unsigned char)tmp[i]);
	}
	code[k] = '\0';
	if (k != 6 || code[0] < '1' || code[0] > '9' || !digits_only(code, 4) || code[4] < 'A' ||
	    code[4] > 'Z' || code[5] < 'A' || code[5] > 'Z')
		goto bad;
	if (code[4] == 'S' && (code[5] == 'A' || code[5] == 'D' || code[5] == 'S'))
		return err_set(e, ERR_INVALID,
			       "field %s: '%s' is not a postcode (rule: the letters SA, SD and SS "
			       "are not used)",
			       field, shown(in, v));
	memcpy(out, code, POSTCODE_SIZE);
	return 0;
bad:
	return err_set(e, ERR_INVALID,
		       "field %s: '%s' is not a postcode (rule: 4 digits not starting with 0, "
		       "then 2 letters, e.g. 6211AB)",
		       field, shown(in, v));
}
