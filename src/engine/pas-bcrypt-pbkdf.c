#define G_LOG_DOMAIN "pas-bcrypt-pbkdf"

#include "config.h"

#include <string.h>
#include <openssl/evp.h>

#include "pas-bcrypt-pbkdf.h"
#include "pas-blowfish-pi.h"
#include "pas-secret.h"

#define BCRYPT_WORDS 8
#define BCRYPT_HASHSIZE (BCRYPT_WORDS * 4)
#define SHA512_LEN 64
/* A hostile key file could ask for billions of rounds; OpenSSH writes 16 (or what -a says). */
#define MAX_ROUNDS 100000

typedef struct
{
  guint32 p[18];
  guint32 s[4][256];
} Blowfish;

static inline guint32
feistel (const Blowfish *bf,
         guint32         x)
{
  return ((bf->s[0][x >> 24] + bf->s[1][(x >> 16) & 0xff]) ^ bf->s[2][(x >> 8) & 0xff]) + bf->s[3][x & 0xff];
}

static void
encipher (const Blowfish *bf,
          guint32        *left,
          guint32        *right)
{
  guint32 l = *left, r = *right;

  l ^= bf->p[0];
  for (int i = 1; i <= 16; i += 2)
    {
      r ^= feistel (bf, l) ^ bf->p[i];
      l ^= feistel (bf, r) ^ bf->p[i + 1];
    }
  *left = r ^ bf->p[17];
  *right = l;
}

/* The next 32-bit big-endian word of @data, cycling over its length. */
static guint32
next_word (const guint8 *data,
           gsize         len,
           gsize        *pos)
{
  guint32 word = 0;

  for (int i = 0; i < 4; i++)
    {
      word = (word << 8) | data[*pos];
      *pos = (*pos + 1) % len;
    }
  return word;
}

static void
init_state (Blowfish *bf)
{
  memcpy (bf->p, pas_blowfish_init_p, sizeof bf->p);
  memcpy (bf->s, pas_blowfish_init_s, sizeof bf->s);
}

/* The Blowfish key schedule; with @data, the "expensive" variant of
 * Eksblowfish, which also mixes a salt into every encryption. */
static void
expand_state (Blowfish     *bf,
              const guint8 *data,
              gsize         data_len,
              const guint8 *key,
              gsize         key_len)
{
  gsize kpos = 0, dpos = 0;
  guint32 l = 0, r = 0;

  for (int i = 0; i < 18; i++)
    bf->p[i] ^= next_word (key, key_len, &kpos);

  for (int i = 0; i < 18; i += 2)
    {
      if (data != NULL)
        {
          l ^= next_word (data, data_len, &dpos);
          r ^= next_word (data, data_len, &dpos);
        }
      encipher (bf, &l, &r);
      bf->p[i] = l;
      bf->p[i + 1] = r;
    }
  for (int box = 0; box < 4; box++)
    for (int i = 0; i < 256; i += 2)
      {
        if (data != NULL)
          {
            l ^= next_word (data, data_len, &dpos);
            r ^= next_word (data, data_len, &dpos);
          }
        encipher (bf, &l, &r);
        bf->s[box][i] = l;
        bf->s[box][i + 1] = r;
      }
}

void
pas_blowfish_test_encrypt (const guint8 *key,
                           gsize         key_len,
                           guint32      *left,
                           guint32      *right)
{
  Blowfish bf;

  init_state (&bf);
  expand_state (&bf, NULL, 0, key, key_len);
  encipher (&bf, left, right);
  pas_secret_wipe (&bf, sizeof bf);
}

static void
bcrypt_hash (const guint8 pass_hash[SHA512_LEN],
             const guint8 salt_hash[SHA512_LEN],
             guint8       out[BCRYPT_HASHSIZE])
{
  static const char magic[] = "OxychromaticBlowfishSwatDynamite";
  guint32 words[BCRYPT_WORDS];
  gsize pos = 0;
  Blowfish bf;

  init_state (&bf);
  expand_state (&bf, salt_hash, SHA512_LEN, pass_hash, SHA512_LEN);
  for (int i = 0; i < 64; i++)
    {
      expand_state (&bf, NULL, 0, salt_hash, SHA512_LEN);
      expand_state (&bf, NULL, 0, pass_hash, SHA512_LEN);
    }

  for (int i = 0; i < BCRYPT_WORDS; i++)
    words[i] = next_word ((const guint8 *) magic, BCRYPT_HASHSIZE, &pos);
  for (int round = 0; round < 64; round++)
    for (int i = 0; i < BCRYPT_WORDS; i += 2)
      encipher (&bf, &words[i], &words[i + 1]);

  /* Output words are stored little-endian. */
  for (int i = 0; i < BCRYPT_WORDS; i++)
    {
      out[4 * i + 0] = words[i] & 0xff;
      out[4 * i + 1] = (words[i] >> 8) & 0xff;
      out[4 * i + 2] = (words[i] >> 16) & 0xff;
      out[4 * i + 3] = (words[i] >> 24) & 0xff;
    }
  pas_secret_wipe (&bf, sizeof bf);
  pas_secret_wipe (words, sizeof words);
}

static gboolean
sha512 (const guint8 *data,
        gsize         len,
        guint8        out[SHA512_LEN])
{
  unsigned int out_len = SHA512_LEN;

  return EVP_Digest (data, len, out, &out_len, EVP_sha512 (), NULL) == 1 && out_len == SHA512_LEN;
}

/**
 * pas_bcrypt_pbkdf:
 *
 * Fills @key with @key_len bytes derived from the passphrase. Output bytes are
 * spread across the blocks ("stride"), as the published algorithm specifies,
 * so that every byte depends on all rounds.
 */
gboolean
pas_bcrypt_pbkdf (const char   *passphrase,
                  gsize         passphrase_len,
                  const guint8 *salt,
                  gsize         salt_len,
                  guint         rounds,
                  guint8       *key,
                  gsize         key_len)
{
  guint8 pass_hash[SHA512_LEN];
  guint8 salt_hash[SHA512_LEN];
  guint8 block[BCRYPT_HASHSIZE];
  guint8 accumulated[BCRYPT_HASHSIZE];
  g_autofree guint8 *counted_salt = NULL;
  gsize stride, amount, remaining = key_len;
  gboolean ok = FALSE;

  if (rounds < 1 || rounds > MAX_ROUNDS || passphrase_len == 0 || salt_len == 0 ||
      salt_len > 1024 || key_len == 0 || key_len > BCRYPT_HASHSIZE * BCRYPT_HASHSIZE)
    return FALSE;

  stride = (key_len + BCRYPT_HASHSIZE - 1) / BCRYPT_HASHSIZE;
  amount = (key_len + stride - 1) / stride;

  if (!sha512 ((const guint8 *) passphrase, passphrase_len, pass_hash))
    return FALSE;

  counted_salt = g_malloc (salt_len + 4);
  memcpy (counted_salt, salt, salt_len);

  for (guint32 count = 1; remaining > 0; count++)
    {
      gsize i;

      counted_salt[salt_len + 0] = (count >> 24) & 0xff;
      counted_salt[salt_len + 1] = (count >> 16) & 0xff;
      counted_salt[salt_len + 2] = (count >> 8) & 0xff;
      counted_salt[salt_len + 3] = count & 0xff;

      if (!sha512 (counted_salt, salt_len + 4, salt_hash))
        goto out;
      bcrypt_hash (pass_hash, salt_hash, block);
      memcpy (accumulated, block, sizeof accumulated);

      for (guint round = 1; round < rounds; round++)
        {
          if (!sha512 (block, sizeof block, salt_hash))
            goto out;
          bcrypt_hash (pass_hash, salt_hash, block);
          for (gsize j = 0; j < sizeof accumulated; j++)
            accumulated[j] ^= block[j];
        }

      amount = MIN (amount, remaining);
      for (i = 0; i < amount; i++)
        {
          gsize dest = i * stride + (count - 1);
          if (dest >= key_len)
            break;
          key[dest] = accumulated[i];
        }
      remaining -= i;
    }
  ok = TRUE;

out:
  pas_secret_wipe (pass_hash, sizeof pass_hash);
  pas_secret_wipe (salt_hash, sizeof salt_hash);
  pas_secret_wipe (block, sizeof block);
  pas_secret_wipe (accumulated, sizeof accumulated);
  return ok;
}
