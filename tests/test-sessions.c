/* Saved sessions: through the file and back; a damaged file is reported and
 * kept, never lost. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-sshd.h"

static char *dir;

static void
test_round_trip (void)
{
  g_autofree char *path = g_build_filename (dir, "sub", "sessions.ini", NULL);
  g_autoptr(PasSessionStore) store = pas_session_store_new (path);
  g_autoptr(PasSessionStore) again = pas_session_store_new (path);
  g_autoptr(PasSession) web = pas_session_new ();
  g_autoptr(PasSession) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSession) loaded = NULL;
  GStatBuf st;
  guint changes = 0;

  g_signal_connect_swapped (store, "items-changed", G_CALLBACK (g_atomic_int_inc), &changes);
  g_object_set (web, "name", "Web server", "folder", "Clients/ACME", "host", "example.com", "port", 2222,
                "user", "root", "auth", PAS_AUTH_KEY, "key-file", "/home/me/.ssh/id_ed25519",
                "remote-folder", "/var/www", "local-folder", "/home/me/www",
                "sftp-server", "sudo -n /usr/lib/openssh/sftp-server", "keepalive", 30, "connect-timeout", 15,
                "notes", "Line one\nline two = with [brackets]", NULL);
  pas_session_store_add (store, web);
  copy = pas_session_copy (web);
  g_object_set (copy, "name", "Copy", NULL);
  pas_session_store_add (store, copy);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_true (pas_session_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (pas_session_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (pas_session_get_id (loaded), ==, pas_session_get_id (web));
  g_assert_cmpstr (pas_session_get_name (loaded), ==, "Web server");
  g_assert_cmpstr (pas_session_get_folder (loaded), ==, "Clients/ACME");
  g_assert_cmpuint (pas_session_get_port (loaded), ==, 2222);
  g_assert_cmpint (pas_session_get_auth (loaded), ==, PAS_AUTH_KEY);
  g_assert_cmpstr (pas_session_get_sftp_server (loaded), ==, "sudo -n /usr/lib/openssh/sftp-server");
  g_assert_cmpuint (pas_session_get_keepalive (loaded), ==, 30);
  g_assert_cmpuint (pas_session_get_connect_timeout (loaded), ==, 15);
  g_assert_cmpstr (pas_session_get_notes (loaded), ==, "Line one\nline two = with [brackets]");
  g_assert_nonnull (pas_session_store_find (again, "Copy"));
  g_assert_cmpstr (pas_session_get_id (pas_session_store_find (again, "Copy")), !=, pas_session_get_id (web));
  g_assert_null (pas_session_store_find (again, "nope"));

  pas_session_store_remove (again, loaded);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
}

static void
test_missing_file_is_empty (void)
{
  g_autofree char *path = g_build_filename (dir, "none", "sessions.ini", NULL);
  g_autoptr(PasSessionStore) store = pas_session_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (pas_session_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
}

/* Count the files in @dir whose name starts with @prefix. */
static guint
count_copies (const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static void
test_damaged_file_is_kept (void)
{
  g_autofree char *path = g_build_filename (dir, "broken.ini", NULL);
  const char *garbage = "[ok]\nHost=a\n[unterminated\nHost=b\n\x01\x02 not a key file";
  g_autoptr(PasSessionStore) store = pas_session_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  g_assert_false (pas_session_store_load (store, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PAS_ERROR, PAS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "broken.ini.damaged-"));
  g_assert_cmpuint (count_copies ("broken.ini.damaged-"), ==, 1);
}

static void
test_bad_values_are_skipped (void)
{
  g_autofree char *path = g_build_filename (dir, "values.ini", NULL);
  g_autoptr(PasSessionStore) store = pas_session_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path,
                                      "[good]\nName=Good\nHost=good.example\n"
                                      "[port]\nName=Bad port\nHost=x\nPort=70000\n"
                                      "[nohost]\nName=No host\n"
                                      "[auth]\nName=Bad auth\nHost=y\nAuth=telepathy\n", -1, NULL));
  g_assert_false (pas_session_store_load (store, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "70000"));
  g_assert_nonnull (strstr (error->message, "telepathy"));
  g_assert_nonnull (strstr (error->message, "[nohost]"));
  /* The good one is there; the file is kept for the others. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_nonnull (pas_session_store_find (store, "Good"));
  g_assert_cmpuint (count_copies ("values.ini.damaged-"), ==, 1);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  GPtrArray *order = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pas_session_store_save_finish (PAS_SESSION_STORE (object), result, &error));
  g_assert_no_error (error);
  g_ptr_array_add (order, g_strdup ("saved"));
}

/* Saves from the UI thread go to a thread: two asked back to back both
 * answer, and the file holds the sessions as they were at the last one. */
static void
test_save_async (void)
{
  g_autofree char *path = g_build_filename (dir, "async", "sessions.ini", NULL);
  g_autoptr(PasSessionStore) store = pas_session_store_new (path);
  g_autoptr(PasSessionStore) again = pas_session_store_new (path);
  g_autoptr(PasSession) first = pas_session_new ();
  g_autoptr(PasSession) second = pas_session_new ();
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_set (first, "name", "First", "host", "one.example", NULL);
  g_object_set (second, "name", "Second", "host", "two.example", NULL);
  pas_session_store_add (store, first);
  pas_session_store_save_async (store, NULL, saved_cb, answers);
  /* Changed while the first write may still be under way. */
  pas_session_store_add (store, second);
  pas_session_store_save_async (store, NULL, saved_cb, answers);
  while (answers->len < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (answers->len, ==, 2);
  g_assert_true (pas_session_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_nonnull (pas_session_store_find (again, "First"));
  g_assert_nonnull (pas_session_store_find (again, "Second"));
}

/* The state and method properties are registered enums: a GValue, a
 * binding or a .ui file can name their values. */
static void
test_enum_properties (void)
{
  g_autoptr(PasSession) session = pas_session_new ();
  g_autoptr(GEnumClass) methods = g_type_class_ref (PAS_TYPE_AUTH_METHOD);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (session), "auth");
  GEnumValue *key = g_enum_get_value_by_nick (methods, "key");
  GType states[] = {
    PAS_TYPE_TRANSFER_STATE, PAS_TYPE_SERVER_STATE, PAS_TYPE_HOST_KEY_STATUS, PAS_TYPE_CONFLICT_POLICY,
  };

  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == PAS_TYPE_AUTH_METHOD);
  g_assert_nonnull (key);
  g_assert_cmpint (key->value, ==, PAS_AUTH_KEY);
  g_object_set (session, "auth", key->value, NULL);
  g_assert_cmpint (pas_session_get_auth (session), ==, PAS_AUTH_KEY);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_assert_true (G_TYPE_IS_ENUM (states[i]));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pas-sessions-XXXXXX", NULL);
  g_test_add_func ("/sessions/round-trip", test_round_trip);
  g_test_add_func ("/sessions/missing-file-is-empty", test_missing_file_is_empty);
  g_test_add_func ("/sessions/damaged-file-is-kept", test_damaged_file_is_kept);
  g_test_add_func ("/sessions/bad-values-are-skipped", test_bad_values_are_skipped);
  g_test_add_func ("/sessions/save-async", test_save_async);
  g_test_add_func ("/sessions/enum-properties", test_enum_properties);
  ret = g_test_run ();
  pas_test_rm_rf (dir, NULL);
  g_free (dir);
  return ret;
}
