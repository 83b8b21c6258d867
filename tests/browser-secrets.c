/* Secrets and sessions: passwords and passphrases used and kept only in the
 * keyring (and searched for everywhere else), the sessions dialog, the
 * session editor's key tools, and the FileZilla import. */

#include "config.h"

#include "browser-fixture.h"

/* The session editor's spin button @id ("port", "keepalive", "timeout"). */
static GtkSpinButton *
editor_spin (PasSessionEditor *editor,
             const char       *id)
{
  return GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (editor), PAS_TYPE_SESSION_EDITOR, id));
}

static AdwComboRow *
editor_auth (PasSessionEditor *editor)
{
  return ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (editor), PAS_TYPE_SESSION_EDITOR, "auth"));
}

static gboolean
no_secret_in (const char *dir,
              const char *secret)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return TRUE;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          /* The keyring's own files hold it, encrypted: that is the point. */
          if (g_strcmp0 (name, "keyrings") != 0 && !no_secret_in (path, secret))
            return FALSE;
        }
      else if (g_file_get_contents (path, &contents, &length, NULL) &&
               g_strstr_len (contents, (gssize) length, secret) != NULL)
        {
          g_test_message ("the password is in %s", path);
          return FALSE;
        }
    }
  return TRUE;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  char **found = user_data;

  *found = pas_keyring_lookup_password_finish (result);
  if (*found == NULL)
    *found = g_strdup ("");
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* An upload and a download on @tab's connection, so the queue and its
 * file, the .fileparts and the transfer code's log lines all take part in
 * the secret search. */
static void
transfer_both_ways (PasBrowser *tab)
{
  PasFilePane *local = pas_browser_get_local_pane (tab);
  PasFilePane *remote = pas_browser_get_remote_pane (tab);
  g_autofree char *back = g_build_filename (local_root, "came-back", NULL);
  g_autofree char *downloaded = g_build_filename (back, "report.txt", NULL);
  g_autofree char *uploaded = NULL;
  g_autofree char *contents = NULL;
  PasBrowser *saved = browser;

  /* The helpers act on the global browser's panes. */
  browser = tab;
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  uploaded = g_build_filename (pas_file_pane_get_location (remote), "report.txt", NULL);
  g_unlink (uploaded);
  pas_file_pane_set_location (local, local_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  select_only (local, "report.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  g_assert_true (pas_test_ui_wait_until (file_exists, uploaded, 30));
  wait_shown (remote, "report.txt");

  g_assert_cmpint (g_mkdir_with_parents (back, 0755), ==, 0);
  pas_file_pane_set_location (local, back);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  select_only (remote, "report.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.transfer", NULL));
  g_assert_true (pas_test_ui_wait_until (file_exists, downloaded, 30));
  assert_queue_all_done ();
  contents = read_file (downloaded);
  g_assert_cmpstr (contents, ==, "Quarterly report\n");
  g_unlink (uploaded);
  g_unlink (downloaded);
  g_rmdir (back);
  pas_file_pane_set_location (local, local_root);
  browser = saved;
}

/* Stops the capture; @secret is in no log line (debug included) and in no
 * file of ours: config (sessions), state (the queue), cache (opened and
 * dragged files). */
static void
assert_secret_nowhere (const char *secret)
{
  g_autoptr(GString) log = NULL;

  g_log_set_debug_enabled (FALSE);
  g_mutex_lock (&captured_lock);
  log = g_steal_pointer (&captured_log);
  g_mutex_unlock (&captured_lock);
  g_assert_cmpuint (log->len, >, 0);
  g_assert_nonnull (strstr (log->str, "pas-"));
  g_assert_nonnull (strstr (log->str, "pas-transfer"));
  g_assert_null (strstr (log->str, secret));
  g_test_message ("%" G_GSIZE_FORMAT " bytes of log searched for the secret", log->len);

  g_assert_true (no_secret_in (g_get_user_config_dir (), secret));
  g_assert_true (no_secret_in (g_get_user_state_dir (), secret));
  g_assert_true (no_secret_in (g_get_user_cache_dir (), secret));
}

/* Fills in the password or passphrase dialog with @secret, "Remember" on;
 * its body must name @body_part (the user, or the key). */
static void
answer_secret_dialog (PasBrowser *tab,
                      const char *body_part,
                      const char *secret,
                      const char *screenshot)
{
  PasAlert *dialog;
  GtkWidget *box, *entry, *remember;

  if (!pas_test_ui_wait_until (dialog_shown, NULL, 20))
    g_error ("no secret dialog; the tab says: %s",
             pas_browser_get_error (tab) != NULL ? pas_browser_get_error (tab)->message : "(nothing)");
  dialog = wait_for_dialog ();
  g_assert_nonnull (strstr (pas_alert_get_body (dialog), body_part));
  box = pas_alert_get_extra_child (dialog);
  entry = gtk_widget_get_first_child (box);
  remember = gtk_widget_get_next_sibling (entry);
  g_assert_true (GTK_IS_PASSWORD_ENTRY (entry));
  g_assert_true (GTK_IS_CHECK_BUTTON (remember));
  gtk_editable_set_text (GTK_EDITABLE (entry), secret);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (remember), TRUE);
  if (screenshot != NULL)
    g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), screenshot));
  respond (dialog, "connect");
}

/* Connects to @uri in a new tab with the keyring answering (no dialog may
 * show), then disconnects and closes that tab. */
static void
connect_again_unasked (PasUri *uri)
{
  wait_tab_connected (pas_window_add_server (window, uri));
  g_assert_null (pas_test_ui_find_widget (PAS_TYPE_ALERT));
  disconnect_and_close_tab ();
}

void
test_password_and_keyring (void)
{
  const char *user = pas_test_sshd_get_password_user (sshd);
  const char *password = pas_test_sshd_get_password (sshd);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasUri) uri = NULL;
  g_autofree char *found = NULL;
  PasBrowser *tab;

  if (user == NULL)
    {
      g_test_skip ("password logins need root to set a test user's password (scripts/test does)");
      return;
    }
  /* In the user's home, where its transfers may write. */
  g_assert_nonnull (getpwnam (user));
  text = g_strdup_printf ("sftp://%s@127.0.0.1:%u%s", user, pas_test_sshd_get_port (sshd), getpwnam (user)->pw_dir);
  uri = pas_uri_parse (text, &error);
  g_assert_no_error (error);

  /* No key this time (the fixture would accept ours for any user). */
  pas_application_set_identity_files (app, NULL);
  /* Everything logged from here on, debug included (G_MESSAGES_DEBUG=all). */
  captured_log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);

  /* Not in the keyring yet: the password dialog, with "Remember". */
  tab = pas_window_add_server (window, uri);
  answer_secret_dialog (tab, user, password, "password-dialog");
  wait_tab_connected (tab);
  transfer_both_ways (tab);

  /* Saved once the login worked, under host, port and user. */
  pas_test_ui_iterate (300);
  pas_keyring_lookup_password_async ("127.0.0.1", pas_test_sshd_get_port (sshd), user, NULL, lookup_cb, &found);
  g_assert_true (pas_test_ui_wait_until (is_set, &found, 10));
  g_assert_cmpstr (found, ==, password);

  /* Next time the keyring answers: no dialog at all. */
  disconnect_and_close_tab ();
  connect_again_unasked (uri);

  assert_secret_nowhere (password);
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, 1);
  {
    const char *identities[] = { pas_test_sshd_get_user_key (sshd), NULL };
    pas_application_set_identity_files (app, identities);
  }
}

/* A key with a passphrase: asked once, remembered in the keyring, used for
 * transfers both ways, and then found nowhere but in the keyring. */
void
test_passphrase_and_keyring (void)
{
  const char *passphrase = "correct horse battery staple 4711";
  g_autofree char *key = g_build_filename (pas_test_sshd_get_dir (sshd), "id_with_passphrase", NULL);
  g_autofree char *pub = g_strconcat (key, ".pub", NULL);
  g_autofree char *authorized = g_build_filename (pas_test_sshd_get_dir (sshd), "authorized_keys", NULL);
  g_autofree char *work = g_build_filename (remote_root, "passphrase-work", NULL);
  g_autofree char *text = pas_test_sshd_get_uri (sshd, NULL, work);
  g_autofree char *pub_text = NULL;
  g_autofree char *keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasUri) uri = NULL;
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", key, NULL };
  const char *identities[] = { key, NULL };
  PasBrowser *tab;
  int status;

  g_assert_true (pas_test_run (keygen, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (pub, &pub_text, NULL, NULL));
  g_assert_true (g_file_get_contents (authorized, &keys, NULL, NULL));
  {
    g_autofree char *both = g_strconcat (keys, pub_text, NULL);
    g_assert_true (g_file_set_contents (authorized, both, -1, NULL));
  }
  g_assert_cmpint (g_mkdir (work, 0755), ==, 0);
  uri = pas_uri_parse (text, &error);
  g_assert_no_error (error);

  pas_application_set_identity_files (app, identities);
  captured_log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);

  /* The fixture's tab is on the same server (root on the same port): a new
   * tab would join its connection. Disconnected, the next login is new. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (browser), "browser.disconnect", NULL));
  g_assert_cmpint (pas_browser_get_state (browser), ==, PAS_BROWSER_FAILED);
  tab = pas_window_add_server (window, uri);
  answer_secret_dialog (tab, "id_with_passphrase", passphrase, NULL);
  wait_tab_connected (tab);
  g_assert_true (pas_browser_get_server (tab) == pas_browser_get_server (browser));
  transfer_both_ways (tab);
  disconnect_and_close_tab ();
  pas_test_ui_iterate (200);

  /* The keyring answers the second time. */
  connect_again_unasked (uri);

  assert_secret_nowhere (passphrase);
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));

  g_assert_true (g_file_set_contents (authorized, keys, -1, NULL));
  {
    const char *fixture_key[] = { pas_test_sshd_get_user_key (sshd), NULL };
    pas_application_set_identity_files (app, fixture_key);
  }
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, 1);
  /* Reconnect resolves again: the fixture's key, as set now. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (browser), "browser.reconnect", NULL));
  g_assert_true (pas_test_ui_wait_until (browser_in_state, GINT_TO_POINTER (PAS_BROWSER_CONNECTED), 30));
}

static gboolean
dialog_has_rows (gpointer data)
{
  return pas_sessions_dialog_get_n_rows (data) >= 1;
}

static PasSession *
find_session (PasSessionStore *store,
              const char      *name)
{
  return pas_session_store_find (store, name);
}

/* The editor's verdict once it has one (whether a key file can be read is
 * asked in a thread). */
static gboolean
editor_settled (gpointer editor)
{
  return pas_session_editor_get_problem (editor) != NULL || pas_session_editor_is_valid (editor);
}

static gboolean
editor_valid (PasSessionEditor *editor)
{
  g_assert_true (pas_test_ui_wait_until (editor_settled, editor, 10));
  return pas_session_editor_is_valid (editor);
}

void
test_sessions_dialog (void)
{
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autofree char *config = g_build_filename (ssh_dir, "config", NULL);
  g_autofree char *config_text = NULL;
  g_autofree char *sessions_file = g_build_filename (g_get_user_config_dir (), "passerelle", "sessions.ini", NULL);
  g_autofree char *saved = NULL;
  PasSessionStore *store = pas_application_get_session_store (app, NULL);
  PasSessionsDialog *dialog;
  PasSessionEditor *editor;
  PasSession *session;
  guint tabs = pas_window_get_n_servers (window);

  if (g_getenv ("XDG_CONFIG_HOME") == NULL)
    {
      g_test_skip ("needs the private HOME of scripts/test");
      return;
    }
  /* A host of ~/.ssh/config is offered in its own group. */
  config_text = g_strdup_printf ("Host demo-box\n  HostName 127.0.0.1\n  Port %u\n  User %s\n"
                                 "  IdentityFile %s\n",
                                 pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                                 pas_test_sshd_get_user_key (sshd));
  g_assert_cmpint (g_mkdir_with_parents (ssh_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, config_text, -1, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sessions", NULL));
  dialog = PAS_SESSIONS_DIALOG (pas_test_ui_find_window (PAS_TYPE_SESSIONS_DIALOG));
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));
  g_assert_true (pas_test_ui_wait_until (dialog_has_rows, dialog, 10));

  /* A new session: the editor refuses a host that would be an ssh option,
   * and a key file it cannot read. */
  editor = PAS_SESSION_EDITOR (pas_sessions_dialog_add (dialog));
  pas_test_ui_wait_for_mapped (GTK_WIDGET (editor));
  /* Typing starts in the first field, not on Cancel. */
  {
    GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (editor));
    GtkWidget *name = GTK_WIDGET (pas_session_editor_get_entry (editor, "name"));

    g_assert_true (GTK_IS_TEXT (focus) && gtk_widget_is_ancestor (focus, name));
  }
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "name"), "Demo server");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "folder"), "Work");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "host"), "-oProxyCommand=touch /tmp/x");
  g_assert_false (editor_valid (editor));
  g_assert_nonnull (strstr (pas_session_editor_get_problem (editor), "dash"));
  /* Installing a key logs in: not with a form the editor refuses. */
  g_assert_false (gtk_widget_is_sensitive (find_row (GTK_WIDGET (editor), "_Install My Public Key on the Server")));
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "host"), "127.0.0.1");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "user"), pas_test_sshd_get_user (sshd));
  gtk_spin_button_set_value (editor_spin (editor, "port"), pas_test_sshd_get_port (sshd));
  adw_combo_row_set_selected (editor_auth (editor), PAS_AUTH_KEY);
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "key-file"), "/nonexistent/key");
  g_assert_false (editor_valid (editor));
  /* Key paths as people type them: ~ and $HOME; a .pub stands for the
   * private half beside it, and alone it is refused with what to do. */
  {
    g_autofree char *key_text = read_file (pas_test_sshd_get_user_key (sshd));
    g_autofree char *typed_key = g_build_filename (ssh_dir, "typed_key", NULL);
    g_autofree char *lone_pub = g_build_filename (ssh_dir, "lone.pub", NULL);
    g_autofree char *fixture_pub = g_strconcat (pas_test_sshd_get_user_key (sshd), ".pub", NULL);

    g_assert_cmpint (g_mkdir_with_parents (ssh_dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (typed_key, key_text, -1, NULL));
    g_assert_true (g_file_set_contents (lone_pub, "ssh-ed25519 AAAA lone\n", -1, NULL));
    gtk_editable_set_text (pas_session_editor_get_entry (editor, "key-file"), "~/.ssh/typed_key");
    g_assert_true (editor_valid (editor));
    gtk_editable_set_text (pas_session_editor_get_entry (editor, "key-file"), "$HOME/.ssh/typed_key");
    g_assert_true (editor_valid (editor));
    gtk_editable_set_text (pas_session_editor_get_entry (editor, "key-file"), fixture_pub);
    g_assert_true (editor_valid (editor));
    gtk_editable_set_text (pas_session_editor_get_entry (editor, "key-file"), "~/.ssh/lone.pub");
    g_assert_false (editor_valid (editor));
    g_assert_nonnull (strstr (pas_session_editor_get_problem (editor), "choose the private key"));
    g_unlink (typed_key);
    g_unlink (lone_pub);
  }
  /* The Jump host field takes ssh -J's list. */
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "key-file"), pas_test_sshd_get_user_key (sshd));
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "jump"), "admin@bastion one");
  g_assert_false (editor_valid (editor));
  g_assert_nonnull (strstr (pas_session_editor_get_problem (editor), "jump hosts"));
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "jump"), "admin@bastion:2222,inner");
  g_assert_true (editor_valid (editor));
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "jump"), "");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "key-file"), pas_test_sshd_get_user_key (sshd));
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "remote-folder"), remote_root);
  g_assert_true (editor_valid (editor));

  /* "Test Connection" logs in with the fields as they are. */
  pas_session_editor_test_connection (editor);
  g_assert_true (pas_test_ui_wait_until (editor_tested, editor, 30));
  g_assert_nonnull (strstr (pas_session_editor_get_test_result (editor), "Connected as"));
  pas_test_ui_iterate (200);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (editor), "session-editor"));
  /* A number typed and not yet entered (no Return, no Tab) is saved too. */
  gtk_editable_set_text (GTK_EDITABLE (editor_spin (editor, "keepalive")), "45");
  pas_session_editor_save (editor);
  pas_test_ui_iterate (100);

  session = find_session (store, "Demo server");
  g_assert_nonnull (session);
  g_assert_cmpstr (pas_session_get_folder (session), ==, "Work");
  g_assert_cmpuint (pas_session_get_port (session), ==, pas_test_sshd_get_port (sshd));
  g_assert_cmpint (pas_session_get_auth (session), ==, PAS_AUTH_KEY);
  g_assert_cmpuint (pas_session_get_keepalive (session), ==, 45);
  /* Written (in a thread) at once, with no secret in it. */
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    do
      {
        g_clear_pointer (&saved, g_free);
        pas_test_ui_iterate (20);
        saved = read_file (sessions_file);
      }
    while (strstr (saved, "Demo server") == NULL && g_get_monotonic_time () < deadline);
  }
  g_assert_nonnull (strstr (saved, "Demo server"));
  g_assert_nonnull (strstr (saved, pas_test_sshd_get_user_key (sshd)));
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "sessions-dialog"));

  /* Duplicate, then delete the copy from its menu. The copy's password is
   * its original's (the keyring keeps one per host, port and user): the
   * dialog keeps it, and says so. */
  {
    g_autofree char *found = NULL;
    g_autofree char *before = NULL;
    PasSession *copy;
    PasAlert *confirm;
    GtkWidget *forget;

    /* What an earlier case left there is put back afterwards. */
    pas_keyring_lookup_password_async ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                                       NULL, lookup_cb, &before);
    g_assert_true (pas_test_ui_wait_until (is_set, &before, 10));
    pas_keyring_store_password ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                                "shared-by-copies");
    pas_sessions_dialog_duplicate (dialog, session);
    copy = find_session (store, "Demo server (copy)");
    g_assert_nonnull (copy);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sessions.delete", "s",
                                               pas_session_get_id (copy)));
    confirm = wait_for_dialog ();
    forget = pas_alert_get_extra_child (confirm);
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (forget)));
    g_assert_false (gtk_widget_is_sensitive (forget));
    g_assert_nonnull (strstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (forget)), "“Demo server” uses it too"));
    g_free (pas_test_ui_screenshot (GTK_WIDGET (confirm), "delete-session-shared-password"));
    respond (confirm, "delete");
    g_assert_null (find_session (store, "Demo server (copy)"));
    pas_keyring_lookup_password_async ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                                       NULL, lookup_cb, &found);
    g_assert_true (pas_test_ui_wait_until (is_set, &found, 10));
    g_assert_cmpstr (found, ==, "shared-by-copies");
    if (before[0] != '\0')
      pas_keyring_store_password ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd), before);
    else
      pas_keyring_clear_password ("127.0.0.1", pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd));
  }

  /* Copying the ssh_config host writes out what ssh would use. */
  pas_sessions_dialog_copy_config_host (dialog, "demo-box");
  {
    PasSession *copied = find_session (store, "demo-box");
    g_assert_nonnull (copied);
    g_assert_cmpstr (pas_session_get_host (copied), ==, "127.0.0.1");
    g_assert_cmpuint (pas_session_get_port (copied), ==, pas_test_sshd_get_port (sshd));
    g_assert_cmpstr (pas_session_get_key_file (copied), ==, pas_test_sshd_get_user_key (sshd));
    pas_sessions_dialog_delete (dialog, copied);
  }

  /* Escape closes the editor, and adds nothing. */
  {
    guint before = g_list_model_get_n_items (G_LIST_MODEL (store));

    editor = PAS_SESSION_EDITOR (pas_sessions_dialog_add (dialog));
    g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
    pas_test_ui_wait_for_mapped (GTK_WIDGET (editor));
    pas_test_ui_press_keys ("New Session", "Escape");
    g_assert_true (pas_test_ui_wait_until (pointer_is_null, &editor, 5));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, before);

    /* With something typed, Escape asks first: Keep Editing (the default)
     * keeps the form, Discard closes it. */
    editor = PAS_SESSION_EDITOR (pas_sessions_dialog_add (dialog));
    g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
    pas_test_ui_wait_for_mapped (GTK_WIDGET (editor));
    gtk_editable_set_text (pas_session_editor_get_entry (editor, "host"), "typed.example");
    pas_test_ui_press_keys ("New Session", "Escape");
    {
      PasAlert *ask = wait_for_dialog ();

      g_assert_cmpstr (pas_alert_get_heading (ask), ==, "Discard Changes?");
      g_assert_cmpstr (pas_alert_get_default_response (ask), ==, "keep");
      respond (ask, "keep");
    }
    pas_test_ui_iterate (100);
    g_assert_nonnull (editor);
    g_assert_cmpstr (gtk_editable_get_text (pas_session_editor_get_entry (editor, "host")), ==, "typed.example");
    gtk_window_close (GTK_WINDOW (editor));
    respond (wait_for_dialog (), "discard");
    g_assert_true (pas_test_ui_wait_until (pointer_is_null, &editor, 5));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, before);
  }

  /* Connecting opens a tab named after the session, in its remote folder. */
  pas_sessions_dialog_connect (dialog, session);
  g_assert_true (pas_test_ui_wait_until (window_has_tabs, GUINT_TO_POINTER (tabs + 1), 10));
  wait_tab_connected (pas_window_get_browser (window, tabs));
  g_assert_cmpstr (pas_browser_get_title (pas_window_get_browser (window, tabs)), ==, "Demo server");
  g_assert_cmpstr (pas_file_pane_get_location (pas_browser_get_remote_pane (pas_window_get_browser (window, tabs))),
                   ==, remote_root);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  pas_test_ui_iterate (100);

  /* An ssh_config host connects through ssh_config, as ssh would. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PasUri) uri = pas_uri_parse ("sftp://demo-box/", &error);
    const char *none[] = { NULL };

    g_assert_no_error (error);
    /* Without the app's --identity: the key must come from ssh_config. */
    pas_application_set_identity_files (app, none);
    pas_window_add_server (window, uri);
    g_assert_true (pas_test_ui_wait_until (window_has_tabs, GUINT_TO_POINTER (tabs + 1), 10));
    wait_tab_connected (pas_window_get_browser (window, tabs));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
    pas_test_ui_iterate (100);
    {
      const char *identities[] = { pas_test_sshd_get_user_key (sshd), NULL };
      pas_application_set_identity_files (app, identities);
    }
  }
  /* (The dialog closed when it connected.) Opened again, Escape closes it. */
  {
    GtkWindow *again;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sessions", NULL));
    again = pas_test_ui_find_window (PAS_TYPE_SESSIONS_DIALOG);
    g_assert_nonnull (again);
    g_object_add_weak_pointer (G_OBJECT (again), (gpointer *) &again);
    pas_test_ui_wait_for_mapped (GTK_WIDGET (again));
    pas_test_ui_press_keys ("Saved Sessions", "Escape");
    g_assert_true (pas_test_ui_wait_until (pointer_is_null, &again, 5));
  }
  pas_session_store_remove (store, session);
  g_assert_true (pas_session_store_save (store, NULL));
  g_unlink (config);
}

static gboolean
key_done (gpointer data)
{
  return pas_session_editor_get_key_result (data) != NULL;
}

/* Clicks the button labelled @label under @root, as a pointer would. */
static void
press_button (GtkWidget  *root,
              const char *label)
{
  GtkWidget *button = pas_test_ui_find_button (root, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
editable_not_empty (gpointer data)
{
  return gtk_editable_get_text (GTK_EDITABLE (data))[0] != '\0';
}

/* Key tools: a new key pair, installed with a password login, then a login
 * with that key. A server of its own, whose authorized_keys the test owns. */
void
test_key_tools (void)
{
  const char *user = g_getenv ("PAS_TEST_PASSWORD_USER");
  g_autofree char *keys_dir = NULL;
  g_autofree char *line = NULL;
  g_autofree char *key_path = g_build_filename (g_get_home_dir (), ".ssh", "id_test_passerelle", NULL);
  g_autofree char *authorized = NULL;
  g_autofree char *authorized_text = NULL;
  g_autoptr(PasTestSshd) second = NULL;
  g_autoptr(GError) error = NULL;
  PasSessionsDialog *dialog;
  PasSessionEditor *editor;
  PasAlert *host_key;
  GtkWidget *password_row;

  if (user == NULL || geteuid () != 0 || g_getenv ("XDG_CONFIG_HOME") == NULL)
    {
      g_test_skip ("needs root, the password test user and the private HOME of scripts/test");
      return;
    }
  keys_dir = g_dir_make_tmp ("pas-keys-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (keys_dir, 0777), ==, 0);
  authorized = g_build_filename (keys_dir, "authorized_keys", NULL);
  line = g_strdup_printf ("AuthorizedKeysFile %s", authorized);
  second = pas_test_sshd_new (&(PasTestSshdOptions) {
                                .password_auth = TRUE,
                                .extra_config = (const char *[]) { line, NULL },
                              }, &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sessions", NULL));
  dialog = PAS_SESSIONS_DIALOG (pas_test_ui_find_window (PAS_TYPE_SESSIONS_DIALOG));
  g_assert_nonnull (dialog);
  editor = PAS_SESSION_EDITOR (pas_sessions_dialog_add (dialog));
  pas_test_ui_wait_for_mapped (GTK_WIDGET (editor));
  pas_session_editor_set_install_dir (editor, keys_dir);
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "name"), "Key tools");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "host"), "127.0.0.1");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "user"), user);
  gtk_spin_button_set_value (editor_spin (editor, "port"), pas_test_sshd_get_port (second));
  adw_combo_row_set_selected (editor_auth (editor), PAS_AUTH_PASSWORD);

  /* The password typed in the form is the one Test Connection uses (no
   * password dialog); the button is in the header, seen without scrolling. */
  password_row = find_row (GTK_WIDGET (editor), "Password");
  g_assert_nonnull (password_row);
  g_assert_true (gtk_widget_get_mapped (password_row));
  gtk_editable_set_text (GTK_EDITABLE (password_row), pas_test_sshd_get_password (second));
  press_button (GTK_WIDGET (editor), "_Test Connection");
  host_key = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_heading (host_key), ==, "Unknown Server");
  respond (host_key, "save");
  g_assert_true (pas_test_ui_wait_until (editor_tested, editor, 30));
  g_test_message ("Test Connection: %s", pas_session_editor_get_test_result (editor));
  g_assert_nonnull (strstr (pas_session_editor_get_test_result (editor), "password"));
  g_assert_null (pas_test_ui_find_widget (PAS_TYPE_ALERT));

  /* A new ed25519 pair in ~/.ssh, its passphrase typed twice: Generate
   * waits until both agree. The form switches to the new key. */
  gtk_widget_activate (find_row (GTK_WIDGET (editor), "_Generate a New Key…"));
  {
    PasAlert *generate = wait_for_dialog ();
    GtkWidget *box = pas_alert_get_extra_child (generate);
    GtkWidget *path = gtk_widget_get_first_child (box);
    GtkWidget *passphrase = gtk_widget_get_next_sibling (path);
    GtkWidget *again = gtk_widget_get_next_sibling (passphrase);
    GtkWidget *differ = gtk_widget_get_next_sibling (again);

    g_assert_cmpstr (pas_alert_get_heading (generate), ==, "Generate a New Key");
    gtk_editable_set_text (GTK_EDITABLE (path), key_path);
    gtk_editable_set_text (GTK_EDITABLE (passphrase), "deux mots");
    gtk_editable_set_text (GTK_EDITABLE (again), "deux mot!");
    g_assert_false (pas_alert_get_response_enabled (generate, "generate"));
    g_assert_true (gtk_widget_get_visible (differ));
    g_free (pas_test_ui_screenshot (GTK_WIDGET (generate), "key-generator-passphrases-differ"));
    gtk_editable_set_text (GTK_EDITABLE (again), "deux mots");
    g_assert_true (pas_alert_get_response_enabled (generate, "generate"));
    g_assert_false (gtk_widget_get_visible (differ));
    respond (generate, "generate");
  }
  g_assert_true (pas_test_ui_wait_until (key_done, editor, 30));
  g_assert_nonnull (strstr (pas_session_editor_get_key_result (editor), "New key saved"));
  g_assert_true (g_file_test (key_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (gtk_editable_get_text (pas_session_editor_get_entry (editor, "key-file")), ==, key_path);
  g_assert_cmpuint (adw_combo_row_get_selected (editor_auth (editor)), ==, PAS_AUTH_KEY);
  /* ssh-keygen opens it with that passphrase, and with no other. */
  {
    const char *right[] = { "ssh-keygen", "-y", "-P", "deux mots", "-f", key_path, NULL };
    const char *wrong[] = { "ssh-keygen", "-y", "-P", "deux mot!", "-f", key_path, NULL };
    int status = -1;

    g_assert_true (pas_test_run (right, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    g_assert_true (pas_test_run (wrong, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint (status, !=, 0);
  }

  /* Installing logs in without the new key, with the typed password. */
  gtk_widget_activate (find_row (GTK_WIDGET (editor), "_Install My Public Key on the Server"));
  g_assert_true (pas_test_ui_wait_until (key_done, editor, 30));
  g_test_message ("Install: %s", pas_session_editor_get_key_result (editor));
  g_assert_nonnull (strstr (pas_session_editor_get_key_result (editor), "added"));
  /* Said under the row that was pressed. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (GTK_WIDGET (editor),
                                                                            "_Install My Public Key on the Server"))),
                   ==, pas_session_editor_get_key_result (editor));
  authorized_text = read_file (authorized);
  {
    g_autofree char *pub_path = g_strconcat (key_path, ".pub", NULL);
    g_autofree char *pub = read_file (pub_path);
    g_auto(GStrv) fields = g_strsplit (pub, " ", 3);
    g_assert_nonnull (strstr (authorized_text, fields[1]));
  }

  /* The new key now opens the door: its passphrase is asked, not the
   * password. */
  press_button (GTK_WIDGET (editor), "_Test Connection");
  answer_secret_dialog (browser, "id_test_passerelle", "deux mots", NULL);
  g_assert_true (pas_test_ui_wait_until (editor_tested, editor, 30));
  g_test_message ("Test Connection: %s", pas_session_editor_get_test_result (editor));
  g_assert_nonnull (strstr (pas_session_editor_get_test_result (editor), "publickey"));
  g_assert_null (pas_test_ui_find_widget (PAS_TYPE_ALERT));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (editor), "session-editor-key-installed"));

  /* Saved with a password: the keyring has it, sessions.ini does not, and
   * the editor shows it again next time. */
  adw_combo_row_set_selected (editor_auth (editor), PAS_AUTH_AUTO);
  g_assert_true (gtk_widget_get_mapped (password_row));
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  press_button (GTK_WIDGET (editor), "_Save");
  g_assert_true (pas_test_ui_wait_until (pointer_is_null, &editor, 10));
  {
    g_autofree char *sessions_file = g_build_filename (g_get_user_config_dir (), "passerelle", "sessions.ini", NULL);
    g_autofree char *found = NULL;
    PasSession *saved;

    /* Stored in the background: looked up until it is there. */
    for (int attempt = 0; attempt < 20 && (found == NULL || found[0] == '\0'); attempt++)
      {
        g_clear_pointer (&found, g_free);
        pas_keyring_lookup_password_async ("127.0.0.1", pas_test_sshd_get_port (second), user, NULL,
                                           lookup_cb, &found);
        g_assert_true (pas_test_ui_wait_until (is_set, &found, 10));
        if (found[0] == '\0')
          pas_test_ui_iterate (100);
      }
    g_assert_cmpstr (found, ==, pas_test_sshd_get_password (second));
    saved = pas_session_store_find (pas_application_get_session_store (app, NULL), "Key tools");
    g_assert_nonnull (saved);
    editor = PAS_SESSION_EDITOR (pas_sessions_dialog_edit (dialog, saved));
    pas_test_ui_wait_for_mapped (GTK_WIDGET (editor));
    password_row = find_row (GTK_WIDGET (editor), "Password");
    g_assert_true (pas_test_ui_wait_until (editable_not_empty, password_row, 10));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, pas_test_sshd_get_password (second));
    g_free (pas_test_ui_screenshot (GTK_WIDGET (editor), "session-editor"));
    {
      g_autofree char *ini = read_file (sessions_file);
      g_assert_null (strstr (ini, pas_test_sshd_get_password (second)));
    }
    gtk_window_close (GTK_WINDOW (editor));
  }
  gtk_window_close (GTK_WINDOW (dialog));
  pas_test_ui_iterate (100);
  pas_test_rm_rf (keys_dir, NULL);
}

/* What the Import button's file chooser starts, waited for. */
static int
import_filezilla (PasSessionsDialog *dialog,
                  const char        *path,
                  GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_sessions_dialog_import_filezilla_async (dialog, path, NULL, pas_test_store_result_cb, &result);
  return pas_sessions_dialog_import_filezilla_finish (dialog, pas_test_wait_for (&result), error);
}

void
test_filezilla_import (void)
{
  g_autofree char *fixture = g_build_filename (g_getenv ("PAS_TEST_SRCDIR"), "tests", "data", "sitemanager.xml", NULL);
  g_autofree char *sessions_file = g_build_filename (g_get_user_config_dir (), "passerelle", "sessions.ini", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;
  PasSessionStore *store = pas_application_get_session_store (app, NULL);
  PasSessionsDialog *dialog;
  PasSession *vps;

  if (g_getenv ("XDG_CONFIG_HOME") == NULL)
    {
      g_test_skip ("needs the private HOME of scripts/test");
      return;
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sessions", NULL));
  dialog = PAS_SESSIONS_DIALOG (pas_test_ui_find_window (PAS_TYPE_SESSIONS_DIALOG));
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));

  g_assert_cmpint (import_filezilla (dialog, fixture, &error), ==, 3);
  g_assert_no_error (error);
  vps = pas_session_store_find (store, "My VPS");
  g_assert_nonnull (vps);
  g_assert_cmpstr (pas_session_get_remote_folder (vps), ==, "/var/www/site name");
  g_assert_cmpstr (pas_session_get_folder (pas_session_store_find (store, "Client site")), ==, "Work/Clients");
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "sessions-dialog-imported"));

  /* The password went to the keyring, not to our file. */
  saved = read_file (sessions_file);
  g_assert_nonnull (strstr (saved, "vps.example.com"));
  g_assert_null (strstr (saved, "hunter2"));
  for (int attempt = 0; attempt < 20 && (found == NULL || found[0] == '\0'); attempt++)
    {
      g_clear_pointer (&found, g_free);
      pas_keyring_lookup_password_async ("vps.example.com", 22, "root", NULL, lookup_cb, &found);
      g_assert_true (pas_test_ui_wait_until (is_set, &found, 10));
      if (found[0] == '\0')
        pas_test_ui_iterate (100);
    }
  g_assert_cmpstr (found, ==, "hunter2 été");

  /* A file that is not FileZilla's: a clear error, nothing added. */
  {
    guint before = g_list_model_get_n_items (G_LIST_MODEL (store));
    g_assert_cmpint (import_filezilla (dialog, sessions_file, &error), ==, -1);
    g_assert_error (error, PAS_ERROR, PAS_ERROR_FAILED);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, before);
  }
  while (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    {
      g_autoptr(PasSession) s = g_list_model_get_item (G_LIST_MODEL (store), 0);
      pas_session_store_remove (store, s);
    }
  g_assert_true (pas_session_store_save (store, NULL));
  gtk_window_close (GTK_WINDOW (dialog));
  pas_test_ui_iterate (100);
}
