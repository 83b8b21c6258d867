#define G_LOG_DOMAIN "pas-keys"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "pas-bcrypt-pbkdf.h"
#include "pas-error.h"
#include "pas-key-gen.h"
#include "pas-secret.h"
#include "pas-wire.h"

#define MAGIC "openssh-key-v1"
#define ROUNDS 16
#define SALT_LEN 16

/* Writes @len bytes to a new file (O_EXCL): an existing key is never replaced. */
static gboolean
write_new_file (const char *path,
                const char *data,
                gsize       len,
                int         mode,
                GError    **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  gssize n;

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not create “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  n = write (fd, data, len);
  if (n != (gssize) len || fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      g_unlink (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
aes256_ctr (const guint8 *key_iv,
            guint8       *data,
            gsize         len)
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int out_len = 0;
  gboolean ok = ctx != NULL &&
                EVP_EncryptInit_ex (ctx, EVP_aes_256_ctr (), NULL, key_iv, key_iv + 32) == 1 &&
                EVP_EncryptUpdate (ctx, data, &out_len, data, (int) len) == 1 && (gsize) out_len == len;

  EVP_CIPHER_CTX_free (ctx);
  return ok;
}

char *
pas_key_generate_ed25519 (const char *path,
                          const char *passphrase,
                          const char *comment,
                          GError    **error)
{
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GByteArray) secret = g_byte_array_new ();
  g_autoptr(GByteArray) kdf = g_byte_array_new ();
  g_autoptr(GString) armored = g_string_new ("-----BEGIN OPENSSH PRIVATE KEY-----\n");
  g_autofree char *b64 = NULL;
  g_autofree char *pub_b64 = NULL;
  g_autofree char *pub_line = NULL;
  gboolean encrypt = passphrase != NULL && *passphrase != '\0';
  EVP_PKEY *pkey = NULL;
  guint8 seed[32], pk[32], salt[SALT_LEN], key_iv[48];
  gsize seed_len = sizeof seed, pk_len = sizeof pk;
  guint32 check;
  gsize block = encrypt ? 16 : 8;

  if (comment == NULL)
    comment = "";
  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (pub_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_EXISTS, _("“%s” exists already; choose another name"), path);
      return NULL;
    }
  pkey = EVP_PKEY_Q_keygen (NULL, NULL, "ED25519");
  if (pkey == NULL ||
      EVP_PKEY_get_raw_private_key (pkey, seed, &seed_len) != 1 ||
      EVP_PKEY_get_raw_public_key (pkey, pk, &pk_len) != 1 ||
      RAND_bytes ((unsigned char *) &check, sizeof check) != 1 ||
      RAND_bytes (salt, sizeof salt) != 1)
    {
      EVP_PKEY_free (pkey);
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("A new key could not be made"));
      return NULL;
    }
  EVP_PKEY_free (pkey);

  pas_wire_put_cstring (blob, "ssh-ed25519");
  pas_wire_put_string (blob, pk, sizeof pk);

  /* The private section: check words, the key, the comment, padding 1, 2, 3… */
  pas_wire_put_u32 (secret, check);
  pas_wire_put_u32 (secret, check);
  pas_wire_put_cstring (secret, "ssh-ed25519");
  pas_wire_put_string (secret, pk, sizeof pk);
  {
    guint8 sk[64];

    memcpy (sk, seed, 32);
    memcpy (sk + 32, pk, 32);
    pas_wire_put_string (secret, sk, sizeof sk);
    pas_secret_wipe (sk, sizeof sk);
  }
  pas_secret_wipe (seed, sizeof seed);
  pas_wire_put_cstring (secret, comment);
  for (guint8 pad = 1; secret->len % block != 0; pad++)
    g_byte_array_append (secret, &pad, 1);

  if (encrypt)
    {
      pas_wire_put_string (kdf, salt, sizeof salt);
      pas_wire_put_u32 (kdf, ROUNDS);
      if (!pas_bcrypt_pbkdf (passphrase, strlen (passphrase), salt, sizeof salt, ROUNDS, key_iv, sizeof key_iv) ||
          !aes256_ctr (key_iv, secret->data, secret->len))
        {
          pas_secret_wipe (key_iv, sizeof key_iv);
          pas_secret_wipe (secret->data, secret->len);
          g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("The new key could not be encrypted"));
          return NULL;
        }
      pas_secret_wipe (key_iv, sizeof key_iv);
    }

  g_byte_array_append (file, (const guint8 *) MAGIC, sizeof MAGIC);   /* with its NUL */
  pas_wire_put_cstring (file, encrypt ? "aes256-ctr" : "none");
  pas_wire_put_cstring (file, encrypt ? "bcrypt" : "none");
  pas_wire_put_string (file, kdf->data, kdf->len);
  pas_wire_put_u32 (file, 1);
  pas_wire_put_string (file, blob->data, blob->len);
  pas_wire_put_string (file, secret->data, secret->len);
  pas_secret_wipe (secret->data, secret->len);

  b64 = g_base64_encode (file->data, file->len);
  pas_secret_wipe (file->data, file->len);
  for (gsize i = 0, n = strlen (b64); i < n; i += 70)
    {
      g_string_append_len (armored, b64 + i, MIN (70, n - i));
      g_string_append_c (armored, '\n');
    }
  pas_secret_wipe (b64, strlen (b64));
  g_string_append (armored, "-----END OPENSSH PRIVATE KEY-----\n");

  pub_b64 = g_base64_encode (blob->data, blob->len);
  pub_line = *comment != '\0' ? g_strdup_printf ("ssh-ed25519 %s %s", pub_b64, comment)
                              : g_strdup_printf ("ssh-ed25519 %s", pub_b64);
  {
    g_autofree char *pub_text = g_strconcat (pub_line, "\n", NULL);
    gboolean wrote_private = write_new_file (path, armored->str, armored->len, 0600, error);

    pas_secret_wipe (armored->str, armored->len);
    if (!wrote_private)
      return NULL;
    if (!write_new_file (pub_path, pub_text, strlen (pub_text), 0644, error))
      {
        /* Ours, just made: a private key without its public half helps nobody. */
        g_unlink (path);
        return NULL;
      }
  }
  return g_steal_pointer (&pub_line);
}
