/* Which algorithms a connection offers, and which were agreed.
 *
 * Ciphers: AES-CTR first. With the libssh2 we build (subprojects/libssh2,
 * whose own patch hands a packet's blocks to OpenSSL in one call) AES-CTR is
 * the fastest cipher here; AES-GCM follows, and chacha20-poly1305 — libssh2's
 * own C code, the slowest — comes last, kept for servers that offer nothing
 * else. MACs: encrypt-then-MAC before the classic ones. Key exchange is
 * libssh2's own order (curve25519 first); libssh2 1.11 adds the strict key
 * exchange marker itself. The user may change the cipher and MAC lists with
 * ssh_config's Ciphers and MACs, in OpenSSH's syntax: a list replaces ours,
 * "+list" appends, "-patterns" removes, "^list" puts first. */
#define G_LOG_DOMAIN "pas-connection"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-connection-private.h"
#include "pas-error.h"

#define OUR_CIPHERS "aes128-ctr,aes256-ctr,aes192-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com," \
                    "chacha20-poly1305@openssh.com"
#define OUR_MACS "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com," \
                 "hmac-sha2-256,hmac-sha2-512,hmac-sha1"

static gboolean
matches_any (const char         *name,
             const char * const *patterns)
{
  for (guint i = 0; patterns[i] != NULL; i++)
    if (g_pattern_match_simple (patterns[i], name))
      return TRUE;
  return FALSE;
}

/* ssh_config's list syntax applied to @ours; NULL when @setting is empty. */
char *
pas_algorithms_apply (const char *ours,
                      const char *setting)
{
  g_auto(GStrv) ours_v = g_strsplit (ours, ",", -1);
  g_auto(GStrv) given = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  char mode = '=';

  if (setting == NULL || setting[0] == '\0')
    return g_strdup (ours);
  if (strchr ("+-^", setting[0]) != NULL)
    mode = *setting++;
  given = g_strsplit (setting, ",", -1);

  switch (mode)
    {
    case '+':
      for (guint i = 0; ours_v[i] != NULL; i++)
        g_ptr_array_add (out, ours_v[i]);
      for (guint i = 0; given[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) ours_v, given[i]))
          g_ptr_array_add (out, given[i]);
      break;
    case '-':
      for (guint i = 0; ours_v[i] != NULL; i++)
        if (!matches_any (ours_v[i], (const char * const *) given))
          g_ptr_array_add (out, ours_v[i]);
      break;
    case '^':
      for (guint i = 0; given[i] != NULL; i++)
        g_ptr_array_add (out, given[i]);
      for (guint i = 0; ours_v[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) given, ours_v[i]))
          g_ptr_array_add (out, ours_v[i]);
      break;
    default:
      for (guint i = 0; given[i] != NULL; i++)
        g_ptr_array_add (out, given[i]);
    }
  g_ptr_array_add (out, NULL);
  return g_strjoinv (",", (char **) out->pdata);
}

/* The host key types already on file for this host come first, so that a
 * server cannot pass itself off as new by offering another type. */
static void
prefer_known_host_key_types (PasWorker *w)
{
  g_auto(GStrv) known = pas_known_hosts_get_key_types (w->known_hosts, w->settings.host, w->settings.port);
  g_autoptr(GString) prefs = g_string_new (NULL);
  const char **supported = NULL;
  int n;

  if (known[0] == NULL)
    return;

  n = libssh2_session_supported_algs (w->session, LIBSSH2_METHOD_HOSTKEY, &supported);
  for (guint i = 0; known[i] != NULL; i++)
    for (int j = 0; j < n; j++)
      if (strcmp (known[i], supported[j]) == 0)
        g_string_append_printf (prefs, "%s%s", prefs->len ? "," : "", supported[j]);
  for (int j = 0; j < n; j++)
    if (!g_strv_contains ((const char * const *) known, supported[j]))
      g_string_append_printf (prefs, "%s%s", prefs->len ? "," : "", supported[j]);
  if (n > 0)
    libssh2_free (w->session, supported);

  if (prefs->len > 0 && libssh2_session_method_pref (w->session, LIBSSH2_METHOD_HOSTKEY, prefs->str) != 0)
    g_debug ("could not set host key preferences %s", prefs->str);
}

/* libssh2 drops the names it does not know and fails only when none is left. */
static gboolean
set_both_ways (PasWorker  *w,
               int         out_type,
               int         in_type,
               const char *list,
               const char *what,
               GError    **error)
{
  if (libssh2_session_method_pref (w->session, out_type, list) == 0 &&
      libssh2_session_method_pref (w->session, in_type, list) == 0)
    return TRUE;
  /* Translators: "ciphers" or "MACs" (kept as ssh_config spells them), then a list */
  g_set_error (error, PAS_ERROR, PAS_ERROR_NO_COMMON_ALGORITHM,
               _("None of the %s “%s” is available in this build of libssh2"), what, list);
  return FALSE;
}

/* Before the handshake. */
gboolean
pas_worker_set_algorithms (PasWorker *w,
                           GError   **error)
{
  g_autofree char *ciphers = pas_algorithms_apply (OUR_CIPHERS, w->settings.ciphers);
  g_autofree char *macs = pas_algorithms_apply (OUR_MACS, w->settings.macs);

  prefer_known_host_key_types (w);
  return set_both_ways (w, LIBSSH2_METHOD_CRYPT_CS, LIBSSH2_METHOD_CRYPT_SC, ciphers, "Ciphers", error) &&
         set_both_ways (w, LIBSSH2_METHOD_MAC_CS, LIBSSH2_METHOD_MAC_SC, macs, "MACs", error);
}

static char *
agreed (PasWorker *w,
        int        type)
{
  const char *name = libssh2_session_methods (w->session, type);

  return g_strdup (name != NULL ? name : "");
}

/* After the handshake: what was agreed, for the logs and the window. */
void
pas_worker_note_algorithms (PasWorker *w)
{
  PasAlgorithms *a = &w->algorithms;

  pas_algorithms_clear (a);
  a->kex = agreed (w, LIBSSH2_METHOD_KEX);
  a->host_key = agreed (w, LIBSSH2_METHOD_HOSTKEY);
  a->cipher_out = agreed (w, LIBSSH2_METHOD_CRYPT_CS);
  a->cipher_in = agreed (w, LIBSSH2_METHOD_CRYPT_SC);
  a->mac_out = agreed (w, LIBSSH2_METHOD_MAC_CS);
  a->mac_in = agreed (w, LIBSSH2_METHOD_MAC_SC);
  g_debug ("%s:%u agreed on kex %s, host key %s, cipher %s/%s, MAC %s/%s", w->settings.host, w->settings.port,
           a->kex, a->host_key, a->cipher_out, a->cipher_in, a->mac_out, a->mac_in);
}

void
pas_algorithms_clear (PasAlgorithms *a)
{
  g_clear_pointer (&a->kex, g_free);
  g_clear_pointer (&a->host_key, g_free);
  g_clear_pointer (&a->cipher_out, g_free);
  g_clear_pointer (&a->cipher_in, g_free);
  g_clear_pointer (&a->mac_out, g_free);
  g_clear_pointer (&a->mac_in, g_free);
}

/* An AEAD cipher carries its own integrity: the agreed MAC is not used. */
gboolean
pas_algorithms_cipher_is_aead (const char *cipher)
{
  return cipher != NULL && (g_str_has_suffix (cipher, "-gcm@openssh.com") ||
                            g_str_has_prefix (cipher, "chacha20-poly1305"));
}
