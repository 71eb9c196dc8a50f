/*
 * The identifiers of the Dutch registries, each validated by its rule (docs/definitions.md):
 * BSN (elfproef), BRIN + vestiging, AGB, KvK, CBS codes, postcode, crebo. Each function takes
 * the raw input and the name of the field it came from, writes the normalised form into `out`
 * and returns 0, or returns -1 with an error that names the field, the value (masked for a
 * BSN) and the rule.
 */
#ifndef REGISTRY_IDENT_H
#define REGISTRY_IDENT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

#define BSN_SIZE 10       /* 9 digits */
#define BSN_MASKED_SIZE 10
#define BRIN_SIZE 7       /* 4 characters and a 2-digit vestiging */
#define AGB_SIZE 9        /* 8 digits */
#define KVK_SIZE 9        /* 8 digits */
#define GEMEENTE_SIZE 7   /* GM and 4 digits */
#define POSTCODE_SIZE 7   /* 1234AB */
#define CREBO_SIZE 6      /* 5 digits */
#define REGION_CODE_SIZE 5 /* MC39, AM35, PV31, JZ42 */

/* BSN: 9 digits (8 get a leading 0), not all zeros, passing the elfproef. */
int ident_bsn(const char *in, const char *field, char out[BSN_SIZE], struct err *e);
bool bsn_elfproef(const char digits[9]);

/* "******333": what a message or log may show of a BSN (or of anything typed as one). */
void ident_mask_bsn(const char *in, char out[BSN_MASKED_SIZE]);

/* Complete eight digits with the check digit that makes a valid BSN; false if none does. */
bool ident_bsn_complete(uint32_t first8, char out[BSN_SIZE]);

/* BRIN and vestiging: "12AB00", "12AB 00" or "12AB-00" → "12AB00". */
int ident_brin(const char *in, const char *field, char out[BRIN_SIZE], struct err *e);

/* AGB code: exactly 8 digits (no checksum is published). */
int ident_agb(const char *in, const char *field, char out[AGB_SIZE], struct err *e);

/* KvK number: exactly 8 digits. */
int ident_kvk(const char *in, const char *field, char out[KVK_SIZE], struct err *e);

/* CBS gemeentecode: "GM0935" or "0935" → "GM0935". */
int ident_gemeente(const char *in, const char *field, char out[GEMEENTE_SIZE], struct err *e);

/* A CBS region code with the given prefix ("MC", "AM", "PV", "JZ"): "MC39"; "39" → "MC39". */
int ident_region_code(const char *in, const char *prefix, const char *field,
		      char out[REGION_CODE_SIZE], struct err *e);

/* Postcode: 4 digits not starting with 0, two letters other than SA, SD, SS → "6211AB". */
int ident_postcode(const char *in, const char *field, char out[POSTCODE_SIZE], struct err *e);

/* Crebo: the 5-digit code of an mbo qualification. */
int ident_crebo(const char *in, const char *field, char out[CREBO_SIZE], struct err *e);

#endif
