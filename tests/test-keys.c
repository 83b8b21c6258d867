/* Private keys made by ssh-keygen, loaded and signed by us, logging in to a
 * real OpenSSH 9.2 sshd (which refuses SHA-1 RSA signatures). */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

#define PASSPHRASE "correct horse battery staple"

typedef struct
{
  const char *name;
  const char *type;
  const char *bits;
  const char *format;      /* NULL: OpenSSH's own; "PEM"; "PKCS8"; "PPK2"/"PPK3" (puttygen) */
  gboolean    encrypted;
} Variant;

/* rsa 3072, ed25519, ecdsa 256/384/521, each plain and encrypted, in OpenSSH
 * and PEM formats (ssh-keygen writes ed25519 only in its own format), PKCS#8,
 * and PuTTYgen's .ppk v2 and v3. */
static const Variant variants[] = {
  { "ed25519", "ed25519", NULL, NULL, FALSE },
  { "ed25519-enc", "ed25519", NULL, NULL, TRUE },
  { "ecdsa256", "ecdsa", "256", NULL, FALSE },
  { "ecdsa256-enc", "ecdsa", "256", NULL, TRUE },
  { "ecdsa384", "ecdsa", "384", NULL, FALSE },
  { "ecdsa384-enc", "ecdsa", "384", NULL, TRUE },
  { "ecdsa521", "ecdsa", "521", NULL, FALSE },
  { "ecdsa521-enc", "ecdsa", "521", NULL, TRUE },
  { "rsa3072", "rsa", "3072", NULL, FALSE },
  { "rsa3072-enc", "rsa", "3072", NULL, TRUE },
  { "ecdsa256-pem", "ecdsa", "256", "PEM", FALSE },
  { "ecdsa256-pem-enc", "ecdsa", "256", "PEM", TRUE },
  { "ecdsa384-pem", "ecdsa", "384", "PEM", FALSE },
  { "ecdsa384-pem-enc", "ecdsa", "384", "PEM", TRUE },
  { "ecdsa521-pem", "ecdsa", "521", "PEM", FALSE },
  { "ecdsa521-pem-enc", "ecdsa", "521", "PEM", TRUE },
  { "rsa3072-pem", "rsa", "3072", "PEM", FALSE },
  { "rsa3072-pem-enc", "rsa", "3072", "PEM", TRUE },
  { "rsa3072-pkcs8-enc", "rsa", "3072", "PKCS8", TRUE },
  { "ed25519-ppk3", "ed25519", NULL, "PPK3", FALSE },
  { "ed25519-ppk3-enc", "ed25519", NULL, "PPK3", TRUE },
  { "ecdsa256-ppk3-enc", "ecdsa", "256", "PPK3", TRUE },
  { "rsa2048-ppk3-enc", "rsa", "2048", "PPK3", TRUE },
  { "ed25519-ppk2", "ed25519", NULL, "PPK2", FALSE },
  { "rsa2048-ppk2-enc", "rsa", "2048", "PPK2", TRUE },
  { "ecdsa384-ppk2-enc", "ecdsa", "384", "PPK2", TRUE },
};

static char *keydir;

static void
add_type_and_bits (GPtrArray     *argv,
                   const Variant *v)
{
  g_ptr_array_add (argv, (char *) "-q");
  g_ptr_array_add (argv, (char *) "-t");
  g_ptr_array_add (argv, (char *) v->type);
  if (v->bits != NULL)
    {
      g_ptr_array_add (argv, (char *) "-b");
      g_ptr_array_add (argv, (char *) v->bits);
    }
}

/* puttygen writes the key, then its OpenSSH public line as NAME.pub. */
static char *
make_ppk (const Variant *v)
{
  char *path = g_build_filename (keydir, v->name, NULL);
  g_autofree char *pub = g_strconcat (path, ".pub", NULL);
  g_autofree char *pass_file = g_build_filename (keydir, "ppk-passphrase", NULL);
  g_autofree char *empty_file = g_build_filename (keydir, "ppk-no-passphrase", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status = -1;

  g_assert_true (g_file_set_contents (pass_file, PASSPHRASE, -1, NULL));
  /* Without a passphrase file puttygen asks on the terminal; an empty one means none. */
  g_assert_true (g_file_set_contents (empty_file, "", -1, NULL));
  g_ptr_array_add (argv, (char *) "puttygen");
  add_type_and_bits (argv, v);
  g_ptr_array_add (argv, (char *) "--ppk-param");
  g_ptr_array_add (argv, (char *) (strcmp (v->format, "PPK2") == 0 ? "version=2" : "version=3"));
  g_ptr_array_add (argv, (char *) "--new-passphrase");
  g_ptr_array_add (argv, v->encrypted ? pass_file : empty_file);
  g_ptr_array_add (argv, (char *) "-C");
  g_ptr_array_add (argv, (char *) v->name);
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, NULL);
  g_assert_true (pas_test_run ((const char * const *) argv->pdata, NULL, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  {
    const char *pub_argv[] = { "puttygen", path, "--old-passphrase", v->encrypted ? pass_file : empty_file,
                               "-O", "public-openssh", "-o", pub, NULL };
    g_assert_true (pas_test_run (pub_argv, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
  }
  return path;
}

static char *
make_key (const Variant *v)
{
  char *path = g_build_filename (keydir, v->name, NULL);

  if (v->format != NULL && g_str_has_prefix (v->format, "PPK"))
    {
      g_free (path);
      return make_ppk (v);
    }
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  int status = -1;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  g_ptr_array_add (argv, (char *) "ssh-keygen");
  add_type_and_bits (argv, v);
  if (v->format != NULL)
    {
      g_ptr_array_add (argv, (char *) "-m");
      g_ptr_array_add (argv, (char *) v->format);
    }
  g_ptr_array_add (argv, (char *) "-N");
  g_ptr_array_add (argv, (char *) (v->encrypted ? PASSPHRASE : ""));
  g_ptr_array_add (argv, (char *) "-C");
  g_ptr_array_add (argv, (char *) v->name);
  g_ptr_array_add (argv, (char *) "-f");
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, NULL);
  g_assert_true (pas_test_run ((const char * const *) argv->pdata, NULL, NULL, &err, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return path;
}

/* Makes @key_path's public key the only one the server accepts. */
static void
authorize_only (PasTestSshd *sshd,
                const char  *key_path)
{
  g_autofree char *pub_path = g_strconcat (key_path, ".pub", NULL);
  g_autofree char *pub = NULL;
  g_autofree char *authorized = g_build_filename (pas_test_sshd_get_dir (sshd), "authorized_keys", NULL);

  g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
  g_assert_true (g_file_set_contents (authorized, pub, -1, NULL));
}

static void
check_matches_pub (PasPrivateKey *key,
                   const char    *path)
{
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autofree char *pub = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree guint8 *blob = NULL;
  gsize len = 0;
  const char *argv[] = { "ssh-keygen", "-lf", pub_path, NULL };
  g_autofree char *oracle = NULL;
  g_autofree char *fingerprint = pas_private_key_get_fingerprint (key);

  g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
  fields = g_strsplit (g_strstrip (pub), " ", 3);
  blob = g_base64_decode (fields[1], &len);
  g_assert_cmpstr (pas_private_key_get_key_type (key), ==, fields[0]);
  g_assert_cmpmem (g_bytes_get_data (pas_private_key_get_public_blob (key), NULL),
                   g_bytes_get_size (pas_private_key_get_public_blob (key)), blob, len);

  g_assert_true (pas_test_run (argv, NULL, &oracle, NULL, NULL, NULL));
  g_assert_nonnull (strstr (oracle, fingerprint));
}

static void
test_load_and_unlock (gconstpointer data)
{
  const Variant *v = data;
  g_autofree char *path = make_key (v);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasPrivateKey) key = pas_private_key_load (path, &error);
  g_autoptr(GBytes) sig = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (pas_private_key_is_encrypted (key), ==, v->encrypted);
  g_assert_cmpint (pas_private_key_is_loaded (key), ==, !v->encrypted);

  if (v->encrypted)
    {
      g_assert_null (pas_private_key_sign (key, (const guint8 *) "x", 1, &error));
      g_assert_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE);
      g_clear_error (&error);

      g_assert_false (pas_private_key_unlock (key, "not the passphrase", &error));
      g_assert_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE);
      g_assert_nonnull (pas_error_get_remedy (error));
      g_clear_error (&error);

      g_assert_true (pas_private_key_unlock (key, PASSPHRASE, &error));
      g_assert_no_error (error);
    }

  check_matches_pub (key, path);
  sig = pas_private_key_sign (key, (const guint8 *) "data to sign", 12, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (sig), >, 0);
  if (g_strcmp0 (v->type, "rsa") == 0)
    g_assert_cmpstr (pas_private_key_get_signature_algorithm (key), ==, "rsa-sha2-512");
}

static void
test_login (gconstpointer data)
{
  const Variant *v = data;
  g_autofree char *path = make_key (v);
  g_autofree char *pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = NULL;
  g_autofree char *log = NULL;

  g_assert_no_error (error);
  authorize_only (sshd, path);

  if (v->encrypted)
    {
      g_queue_push_tail (&interaction->passphrases, g_strdup ("wrong one"));
      g_queue_push_tail (&interaction->passphrases, g_strdup (PASSPHRASE));
    }

  connection = pas_test_key_connection (sshd, path);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  pas_connection_set_timeout (connection, 10);

  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pas_connection_get_auth_method (connection), ==, "publickey");
  /* A wrong passphrase is asked again; a plain key asks nothing. */
  g_assert_cmpuint (interaction->n_passphrase_asks, ==, v->encrypted ? 2 : 0);

  log = pas_test_sshd_wait_for_log (sshd, "Accepted publickey for");
  g_assert_nonnull (strstr (log, "Accepted publickey for"));
  if (g_strcmp0 (v->type, "rsa") == 0)
    g_assert_nonnull (strstr (log, "RSA SHA256:"));
}

static void
test_passphrase_not_asked_for_refused_key (void)
{
  /* The server does not know this key: libssh2 asks first (PK_OK), so the
   * passphrase is never requested, and the failure says what was tried. */
  static const Variant v = { "unauthorised-enc", "ed25519", NULL, NULL, TRUE };
  g_autofree char *path = make_key (&v);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = NULL;

  g_assert_no_error (error);
  g_queue_push_tail (&interaction->passphrases, g_strdup (PASSPHRASE));
  connection = pas_test_key_connection (sshd, path);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));

  g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "publickey (SHA256:"));
  g_assert_cmpuint (interaction->n_passphrase_asks, ==, 0);
}

static void
test_wrong_passphrase (void)
{
  static const Variant v = { "ed25519-enc", "ed25519", NULL, NULL, TRUE };
  g_autofree char *path = make_key (&v);
  g_autofree char *pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = NULL;

  g_assert_no_error (error);
  authorize_only (sshd, path);
  for (int i = 0; i < 5; i++)
    g_queue_push_tail (&interaction->passphrases, g_strdup ("wrong"));

  connection = pas_test_key_connection (sshd, path);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));

  g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_WRONG_PASSPHRASE);
  g_assert_cmpuint (interaction->n_passphrase_asks, ==, 3);
}

static void
test_bad_key_files (void)
{
  g_autofree char *gcm = g_build_filename (keydir, "gcm", NULL);
  const char *gcm_argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-Z", "aes256-gcm@openssh.com",
                             "-N", PASSPHRASE, "-f", gcm, NULL };
  g_autofree char *gcm_text = NULL;
  g_autofree char *good_path = make_key (&variants[0]);
  g_autofree char *good = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *garbage_body = NULL;
  g_autofree char *tampered = NULL;
  g_autofree char *costly = NULL;
  struct { const char *name; const char *text; const char *needle; } cases[] = {
    { "empty", "", "not a private key" },
    { "ppk-truncated", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", "damaged" },
    { "ppk-tampered", NULL, "damaged" },
    { "ppk-costly", NULL, "too costly" },
    { "garbage-pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "OpenSSL" },
    { "truncated", NULL, "damaged" },
    { "bad-base64", "-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----\n", "damaged" },
    /* Found by fuzz-private-key: the markers share their dashes. */
    { "markers-overlap", "-----BEGIN OPENSSH PRIVATE KEY-----END OPENSSH PRIVATE KEY-----\n", "damaged" },
    { "bad-magic", NULL, "not an OpenSSH private key" },
    { "gcm", NULL, "aes256-gcm@openssh.com" },
  };

  g_assert_true (pas_test_run (gcm_argv, NULL, NULL, NULL, NULL, NULL));
  g_assert_true (g_file_get_contents (gcm, &gcm_text, NULL, NULL));
  g_assert_true (g_file_get_contents (good_path, &good, NULL, NULL));
  /* Cut the base64 body in the middle (on a 4-character boundary). */
  truncated = g_strdup_printf ("-----BEGIN OPENSSH PRIVATE KEY-----\n%.*s\n-----END OPENSSH PRIVATE KEY-----\n",
                               120, good + strlen ("-----BEGIN OPENSSH PRIVATE KEY-----\n"));
  {
    g_autofree char *b64 = g_base64_encode ((const guchar *) "openssh-key-v0\0\0\0\0\4none", 28);
    garbage_body = g_strdup_printf ("-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n",
                                    b64);
  }
  {
    /* A changed comment breaks the MAC; a huge Argon2 cost is refused before running. */
    static const Variant plain = { "ed25519-ppk3", "ed25519", NULL, "PPK3", FALSE };
    static const Variant enc = { "ed25519-ppk3-enc", "ed25519", NULL, "PPK3", TRUE };
    g_autofree char *plain_path = make_key (&plain);
    g_autofree char *enc_path = make_key (&enc);
    g_autofree char *plain_text = NULL;
    g_autofree char *enc_text = NULL;
    g_autoptr(GRegex) comment = g_regex_new ("Comment: .*", 0, 0, NULL);
    g_autoptr(GRegex) memory = g_regex_new ("Argon2-Memory: [0-9]+", 0, 0, NULL);

    g_assert_true (g_file_get_contents (plain_path, &plain_text, NULL, NULL));
    g_assert_true (g_file_get_contents (enc_path, &enc_text, NULL, NULL));
    tampered = g_regex_replace_literal (comment, plain_text, -1, 0, "Comment: someone else", 0, NULL);
    costly = g_regex_replace_literal (memory, enc_text, -1, 0, "Argon2-Memory: 4194304", 0, NULL);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *name = cases[i].name;

      if (strcmp (name, "ppk-tampered") == 0)
        cases[i].text = tampered;
      else if (strcmp (name, "ppk-costly") == 0)
        cases[i].text = costly;
      else if (strcmp (name, "truncated") == 0)
        cases[i].text = truncated;
      else if (strcmp (name, "bad-magic") == 0)
        cases[i].text = garbage_body;
      else if (strcmp (name, "gcm") == 0)
        cases[i].text = gcm_text;
      g_assert_nonnull (cases[i].text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PasPrivateKey) key = pas_private_key_load_from_data (cases[i].text, strlen (cases[i].text),
                                                                     cases[i].name, &error);

      if (key != NULL && pas_private_key_is_encrypted (key))
        {
          /* Only unlocking shows that the cipher is unknown. */
          g_assert_false (pas_private_key_unlock (key, PASSPHRASE, &error));
        }
      else
        g_assert_null (key);
      g_test_message ("%s: %s", cases[i].name, error->message);
      g_assert_error (error, PAS_ERROR, PAS_ERROR_UNSUPPORTED_KEY);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
}

/* A real ssh-agent holding @keys, on a private socket. */
static GSubprocess *
start_agent (const char  *socket_path,
             const char **keys)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *agent = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                         "ssh-agent", "-D", "-a", socket_path, NULL);

  g_assert_no_error (error);
  for (int i = 0; i < 500 && !g_file_test (socket_path, G_FILE_TEST_EXISTS); i++)
    g_usleep (10 * 1000);
  g_assert_true (g_file_test (socket_path, G_FILE_TEST_EXISTS));

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_autoptr(GSubprocess) add = NULL;

      g_subprocess_launcher_setenv (launcher, "SSH_AUTH_SOCK", socket_path, TRUE);
      add = g_subprocess_launcher_spawn (launcher, &error, "ssh-add", keys[i], NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (add, NULL, &error));
      g_assert_no_error (error);
    }
  return agent;
}

static void
stop_agent (GSubprocess *agent)
{
  g_subprocess_force_exit (agent);
  g_subprocess_wait (agent, NULL, NULL);
  g_object_unref (agent);
}

static PasConnection *
agent_connection (PasTestSshd *sshd,
                  const char  *agent_socket)
{
  PasConnection *connection = pas_connection_new ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                  pas_test_sshd_get_user (sshd));

  pas_connection_set_known_hosts_files (connection, pas_test_sshd_get_known_hosts (sshd), NULL);
  pas_connection_set_agent_socket (connection, agent_socket);
  return connection;
}

static void
test_agent_login (void)
{
  /* An RSA key held by the agent: OpenSSH 9.2 only accepts it signed with
   * SHA-2, which the agent does only when asked with the flag. */
  static const Variant ed = { "agent-ed25519", "ed25519", NULL, NULL, FALSE };
  static const Variant rsa = { "agent-rsa", "rsa", "2048", NULL, FALSE };
  g_autofree char *ed_path = make_key (&ed);
  g_autofree char *rsa_path = make_key (&rsa);
  g_autofree char *socket_path = g_build_filename (keydir, "agent.sock", NULL);
  const char *keys[] = { ed_path, rsa_path, NULL };
  GSubprocess *agent = start_agent (socket_path, keys);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autofree char *pub = NULL;
  g_autofree char *log = NULL;
  g_autoptr(PasConnection) connection = NULL;

  g_assert_no_error (error);
  authorize_only (sshd, rsa_path);

  connection = agent_connection (sshd, socket_path);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pas_connection_get_auth_method (connection), ==, "publickey");
  g_assert_cmpuint (interaction->n_passphrase_asks, ==, 0);
  log = pas_test_sshd_wait_for_log (sshd, "Accepted publickey for");
  g_assert_nonnull (strstr (log, "Accepted publickey for"));
  g_assert_nonnull (strstr (log, "RSA SHA256:"));
  g_clear_object (&connection);

  /* IdentitiesOnly with another key named: the agent's RSA key is not offered. */
  {
    const char *files[] = { ed_path, NULL };

    connection = agent_connection (sshd, socket_path);
    pas_connection_set_identity_files (connection, files, TRUE);
    g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
    g_test_message ("%s", error->message);
    g_assert_error (error, PAS_ERROR, PAS_ERROR_AUTH_FAILED);
    g_assert_nonnull (strstr (error->message, "publickey (agent SHA256:"));
    g_assert_null (strstr (error->message, ", publickey (agent"));   /* only one agent key offered */
    g_assert_null (strstr (error->message, ", publickey (SHA256:"));  /* and not again from its file */
    g_clear_error (&error);
  }

  stop_agent (agent);
}

static void
test_agent_missing (void)
{
  /* A dead agent socket is not a failure: the key files are tried next. */
  g_autofree char *socket_path = g_build_filename (keydir, "no-agent.sock", NULL);
  g_autofree char *path = make_key (&variants[0]);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autofree char *pub = NULL;
  g_autoptr(PasConnection) connection = NULL;
  const char *files[] = { path, NULL };

  g_assert_no_error (error);
  authorize_only (sshd, path);

  connection = agent_connection (sshd, socket_path);
  pas_connection_set_identity_files (connection, files, TRUE);
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Root reads every file; to see what a user sees, this thread (and the
 * connection's worker, which inherits it) gives up the override. */
static gboolean
set_dac_override (gboolean on)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  guint32 bits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);

  if (syscall (SYS_capget, &header, data) != 0)
    return FALSE;
  if (on)
    data[0].effective |= bits & data[0].permitted;
  else
    data[0].effective &= ~bits;
  return syscall (SYS_capset, &header, data) == 0;
}

static void
test_unreadable_key (void)
{
  static const Variant v = { "unreadable", "ed25519", NULL, NULL, FALSE };
  g_autofree char *path = make_key (&v);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasConnection) connection = NULL;
  gboolean ok;

  g_assert_no_error (error);
  authorize_only (sshd, path);
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  if (geteuid () == 0)
    g_assert_true (set_dac_override (FALSE));

  connection = pas_test_key_connection (sshd, path);
  pas_connection_set_agent_socket (connection, NULL);
  ok = pas_test_connect (connection, NULL, NULL, &error);

  if (geteuid () == 0)
    g_assert_true (set_dac_override (TRUE));
  g_chmod (path, 0600);

  g_assert_false (ok);
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (pas_error_get_remedy (error));
}

static void
test_keepalives_are_sent (void)
{
  /* After login the worker keeps running its loop: keepalives reach sshd. */
  const char *extra[] = { "LogLevel DEBUG1", NULL };
  PasTestSshdOptions options = { .extra_config = extra };
  g_autofree char *path = make_key (&variants[0]);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (&options, &error);
  g_autoptr(PasConnection) connection = NULL;
  g_autofree char *log = NULL;
  guint seen = 0;

  g_assert_no_error (error);
  authorize_only (sshd, path);
  connection = pas_test_key_connection (sshd, path);
  pas_connection_set_keepalive_interval (connection, 1);
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));

  for (int i = 0; i < 60 && seen < 2; i++)
    {
      g_usleep (100 * 1000);
      g_free (log);
      log = pas_test_sshd_read_log (sshd);
      seen = 0;
      for (const char *p = log; (p = strstr (p, "keepalive@libssh2.org")) != NULL; p++)
        seen++;
    }
  g_assert_cmpuint (seen, >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  keydir = g_dir_make_tmp ("pas-keys-XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *load = g_strdup_printf ("/keys/load/%s", variants[i].name);
      g_autofree char *login = g_strdup_printf ("/keys/login/%s", variants[i].name);

      g_test_add_data_func (load, &variants[i], test_load_and_unlock);
      g_test_add_data_func (login, &variants[i], test_login);
    }
  g_test_add_func ("/keys/passphrase-not-asked-for-refused-key", test_passphrase_not_asked_for_refused_key);
  g_test_add_func ("/keys/wrong-passphrase", test_wrong_passphrase);
  g_test_add_func ("/keys/bad-key-files", test_bad_key_files);
  g_test_add_func ("/keys/agent-login", test_agent_login);
  g_test_add_func ("/keys/agent-missing", test_agent_missing);
  g_test_add_func ("/keys/unreadable-key", test_unreadable_key);
  g_test_add_func ("/keys/keepalives-are-sent", test_keepalives_are_sent);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  pas_test_rm_rf (keydir, NULL);
  return ret;
}
