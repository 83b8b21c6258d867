/* Two folders side by side: Synchronize Folders, Browse Folders Together
 * (and its path bar), and Compare's marks. */

#include "config.h"

#include "browser-fixture.h"

static gboolean
window_lacks (gpointer text)
{
  return !label_containing (GTK_WIDGET (window), text);
}

static gboolean
switch_is_on (gpointer widget)
{
  return gtk_switch_get_active (widget);
}

static gboolean
sync_plan_ready (gpointer dialog)
{
  return pas_sync_dialog_get_plan (dialog) != NULL;
}

/* The dialog's comparison, or a log line saying where it stands (rare
 * sanitized runs waited in vain: is a reply of the browsing channel missing?). */
static void
wait_plan (PasSyncDialog *dialog)
{
  g_autofree char *channel = NULL;

  if (pas_test_ui_wait_until (sync_plan_ready, dialog, 20))
    return;
  channel = pas_sftp_session_describe (browser->sftp);
  g_error ("the folders were never compared; browsing channel: %s", channel);
}

typedef struct
{
  const char *path;
  const char *contents;
} FileWanted;

static gboolean
file_says (gpointer data)
{
  FileWanted *wanted = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (wanted->path, &contents, NULL, NULL) && g_strcmp0 (contents, wanted->contents) == 0;
}

/* Pauses what the queue gets, as it comes. */
static void
pause_added_cb (GListModel *queue,
                guint       position,
                guint       removed,
                guint       added,
                gpointer    unused)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PasTransfer) transfer = g_list_model_get_item (queue, i);

      pas_transfer_queue_pause (PAS_TRANSFER_QUEUE (queue), transfer);
    }
}

static gboolean
sync_copies_queued (gpointer n)
{
  return g_list_model_get_n_items (G_LIST_MODEL (pas_application_get_queue (app))) == GPOINTER_TO_UINT (n);
}

static gboolean
no_sync_dialog (gpointer unused)
{
  return pas_test_ui_find_window (PAS_TYPE_SYNC_DIALOG) == NULL;
}

static gboolean
transfer_done (gpointer transfer)
{
  return pas_transfer_get_state (transfer) == PAS_TRANSFER_DONE;
}

/* The other pane's location, once it is @data. */
typedef struct
{
  PasFilePane *pane;
  const char  *path;
} PaneAt;

static gboolean
pane_is_at (gpointer data)
{
  PaneAt *at = data;

  return g_strcmp0 (pas_file_pane_get_location (at->pane), at->path) == 0 && !pas_file_pane_is_loading (at->pane);
}

/* Whether @pane shows @path, loaded, within 20 s. */
static gboolean
wait_for_location (PasFilePane *pane,
                   const char  *path)
{
  PaneAt at = { pane, path };

  return pas_test_ui_wait_until (pane_is_at, &at, 20);
}

/* Enters @name in @pane from the keyboard: its row focused, then Return. */
static void
enter_with_keyboard (PasFilePane *pane,
                     const char  *name)
{
  GtkWidget *row;

  wait_shown (pane, name);
  row = focusable_row_of (pane, name);
  g_assert_true (gtk_widget_grab_focus (row));
  pas_test_ui_iterate (50);
  pas_test_ui_press_keys ("Passerelle", "Return");
}

static gboolean
window_follows (gpointer data)
{
  gboolean follow = FALSE;

  g_object_get (window, "follow-folders", &follow, NULL);
  return follow == GPOINTER_TO_INT (data);
}

/* Browse Folders Together (Ctrl+Y): into a folder on one side, into the same
 * on the other; up on one, up on both; a folder the other side lacks ends
 * it, and says so. */
void
test_follow_folders (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *here = g_build_filename (local_root, "follow-site", NULL);
  g_autofree char *there = g_build_filename (remote_root, "follow-site", NULL);
  g_autofree char *here_docs = g_build_filename (here, "docs", NULL);
  g_autofree char *there_docs = g_build_filename (there, "docs", NULL);
  g_autofree char *here_img = g_build_filename (here_docs, "img", NULL);
  g_autofree char *there_img = g_build_filename (there_docs, "img", NULL);
  g_autofree char *here_only = g_build_filename (here, "only-here", NULL);

  g_assert_cmpint (g_mkdir_with_parents (here_img, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (there_img, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (here_only, 0755), ==, 0);
  pas_file_pane_set_location (local, here);
  pas_file_pane_set_location (remote, there);
  g_assert_true (wait_for_location (pas_browser_get_local_pane (browser), here));
  g_assert_true (wait_for_location (pas_browser_get_remote_pane (browser), there));
  g_assert_false (pas_browser_get_follow_folders (browser));

  /* On from the keyboard, even with the focus on the main menu's button
   * (where using the menu leaves it); the window's menu shows it on. */
  {
    GtkWidget *menu_button = pas_test_ui_find (GTK_WIDGET (window), is_of_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));

    g_assert_true (gtk_widget_grab_focus (menu_button));
  }
  pas_test_ui_iterate (100);
  pas_test_ui_press_keys ("Passerelle", "ctrl+y");
  g_assert_true (pas_browser_get_follow_folders (browser));
  g_assert_true (pas_test_ui_wait_until (window_follows, GINT_TO_POINTER (TRUE), 5));
  g_assert_true (g_str_has_suffix (pas_test_ui_template_label (GTK_WIDGET (local), PAS_TYPE_FILE_PANE, "status_label"), " — browsing together"));
  g_assert_true (g_str_has_suffix (pas_test_ui_template_label (GTK_WIDGET (remote), PAS_TYPE_FILE_PANE, "status_label"), " — browsing together"));

  enter_with_keyboard (local, "docs");
  g_assert_true (wait_for_location (pas_browser_get_local_pane (browser), here_docs));
  g_assert_true (wait_for_location (pas_browser_get_remote_pane (browser), there_docs));
  enter_with_keyboard (remote, "img");
  g_assert_true (wait_for_location (pas_browser_get_remote_pane (browser), there_img));
  g_assert_true (wait_for_location (pas_browser_get_local_pane (browser), here_img));
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "follow-folders"));
  /* Up two on the remote side (Alt+Up, twice), up two here. */
  pas_file_pane_focus_list (remote);
  pas_test_ui_iterate (100);
  pas_test_ui_press_keys ("Passerelle", "alt+Up alt+Up");
  g_assert_true (wait_for_location (pas_browser_get_remote_pane (browser), there));
  g_assert_true (wait_for_location (pas_browser_get_local_pane (browser), here));

  /* The server has no "only-here": browsing together ends, with a word. */
  /* The server has no "only-here": browsing together ends, with a word
   * (not the raw error), and the remote pane goes back where it was. */
  enter_with_keyboard (local, "only-here");
  g_assert_true (pas_test_ui_wait_until (window_says, "Browsing apart: “only-here” is not on the other side", 20));
  g_assert_false (pas_browser_get_follow_folders (browser));
  g_assert_true (pas_test_ui_wait_until (window_follows, GINT_TO_POINTER (FALSE), 5));
  g_assert_true (wait_for_location (remote, there));
  g_assert_false (label_containing (GTK_WIDGET (window), "Cannot Open This Folder"));
  g_assert_null (strstr (pas_test_ui_template_label (GTK_WIDGET (local), PAS_TYPE_FILE_PANE, "status_label"), "browsing together"));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "follow-folders-ended"));

  /* Off, each side goes its own way. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "pane.up", NULL));
  g_assert_true (wait_for_location (pas_browser_get_local_pane (browser), here));
  pas_test_ui_iterate (200);
  g_assert_cmpstr (pas_file_pane_get_location (remote), ==, there);

  pas_file_pane_set_location (local, local_root);
  pas_file_pane_set_location (remote, remote_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  pas_test_rm_rf (here, NULL);
  pas_test_rm_rf (there, NULL);
}

static void
write_with_mtime (const char *path,
                  const char *contents,
                  gint64      mtime)
{
  struct utimbuf times = { (time_t) mtime, (time_t) mtime };

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_assert_cmpint (utime (path, &times), ==, 0);
}

/* Compare (the menu's toggle): each pane marks its rows against the other
 * side's folder, with an icon and words, and the marks follow the
 * listings as they change and as one browses. */
void
test_compare_marks (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *here = g_build_filename (local_root, "compare", NULL);
  g_autofree char *there = g_build_filename (remote_root, "compare", NULL);
  gint64 then = 1700000000;
  gboolean on = FALSE;
  const char *names[] = { "same.txt", "newer.txt", "older.txt", "resized.txt" };

  g_assert_cmpint (g_mkdir (here, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (there, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *a = g_build_filename (here, names[i], NULL);
      g_autofree char *b = g_build_filename (there, names[i], NULL);

      write_with_mtime (a, i == 3 ? "longer on this side" : "text", then + (i == 1 ? 100 : 0));
      write_with_mtime (b, "text", then + (i == 2 ? 100 : 0));
    }
  {
    g_autofree char *a = g_build_filename (here, "only-here.txt", NULL);
    g_autofree char *b = g_build_filename (there, "only-there.txt", NULL);
    g_autofree char *da = g_build_filename (here, "sub", "inner.txt", NULL);
    g_autofree char *db = g_build_filename (there, "sub", NULL);

    write_with_mtime (a, "x", then);
    write_with_mtime (b, "x", then);
    g_assert_cmpint (g_mkdir_with_parents (db, 0755), ==, 0);
    g_assert_cmpint (g_mkdir_with_parents (da, 0755), ==, 0);
    g_assert_cmpint (g_rmdir (da), ==, 0);
    write_with_mtime (da, "inner", then);
  }
  pas_file_pane_set_location (local, here);
  pas_file_pane_set_location (remote, there);
  g_assert_true (wait_for_location (pas_browser_get_local_pane (browser), here));
  g_assert_true (wait_for_location (pas_browser_get_remote_pane (browser), there));
  assert_mark (local, "same.txt", NULL, NULL);

  /* On from the window's menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  g_object_get (window, "compare", &on, NULL);
  g_assert_true (on);
  assert_mark (local, "same.txt", "Same on both sides", "object-select-symbolic");
  assert_mark (remote, "same.txt", "Same on both sides", "object-select-symbolic");
  assert_mark (local, "newer.txt", "Newer on this side", "go-up-symbolic");
  assert_mark (remote, "newer.txt", "Older on this side", "go-down-symbolic");
  assert_mark (local, "older.txt", "Older on this side", "go-down-symbolic");
  assert_mark (remote, "older.txt", "Newer on this side", "go-up-symbolic");
  assert_mark (local, "resized.txt", "Not the same as on the other side", "dialog-warning-symbolic");
  assert_mark (remote, "resized.txt", "Not the same as on the other side", "dialog-warning-symbolic");
  assert_mark (local, "only-here.txt", "Only on this side", "list-add-symbolic");
  assert_mark (remote, "only-there.txt", "Only on this side", "list-add-symbolic");
  /* A folder on both sides is not called the same: its contents are not compared here. */
  assert_mark (local, "sub", NULL, NULL);
  /* The status line sums them up, in words. */
  g_assert_cmpstr (pas_test_ui_template_label (GTK_WIDGET (local), PAS_TYPE_FILE_PANE, "status_label"), ==,
                   "6 items — compared: 1 only here, 1 newer, 1 older, 1 not the same, 1 only there");
  g_assert_cmpstr (pas_test_ui_template_label (GTK_WIDGET (remote), PAS_TYPE_FILE_PANE, "status_label"), ==,
                   "6 items — compared: 1 only here, 1 newer, 1 older, 1 not the same, 1 only there");
  /* A copy in progress (ours) is not a file of either side: no mark, not
   * counted on the other side. */
  {
    g_autofree char *partial = g_build_filename (there, "coming.bin.filepart", NULL);

    g_assert_true (g_file_set_contents (partial, "half", -1, NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.refresh", NULL));
    wait_shown (remote, "coming.bin.filepart");
    pas_test_ui_iterate (400);
    assert_mark (remote, "coming.bin.filepart", NULL, NULL);
    g_assert_cmpstr (pas_test_ui_template_label (GTK_WIDGET (local), PAS_TYPE_FILE_PANE, "status_label"), ==,
                     "6 items — compared: 1 only here, 1 newer, 1 older, 1 not the same, 1 only there");
    g_assert_cmpint (g_unlink (partial), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.refresh", NULL));
    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  }
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "compare-marks"));

  /* A copy made while it is on: the marks follow the listings. */
  select_only (local, "only-here.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  assert_queue_all_done ();
  assert_mark (remote, "only-here.txt", "Same on both sides", "object-select-symbolic");
  assert_mark (local, "only-here.txt", "Same on both sides", "object-select-symbolic");

  /* Into a folder on both sides: its rows are compared in turn. */
  {
    g_autofree char *here_sub = g_build_filename (here, "sub", NULL);
    g_autofree char *there_sub = g_build_filename (there, "sub", NULL);

    pas_file_pane_set_location (local, here_sub);
    pas_file_pane_set_location (remote, there_sub);
    assert_mark (local, "inner.txt", "Only on this side", "list-add-symbolic");
  }

  /* Off: no marks. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  g_object_get (window, "compare", &on, NULL);
  g_assert_false (on);
  assert_mark (local, "inner.txt", NULL, NULL);

  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
  pas_file_pane_set_location (local, local_root);
  pas_file_pane_set_location (remote, remote_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  pas_test_rm_rf (here, NULL);
  pas_test_rm_rf (there, NULL);
}

/* Where the other side goes: down, up, sideways, and no further than its root. */
void
test_follow_path (void)
{
  struct { const char *from, *to, *other, *expected; } cases[] = {
    { "/home/me/site", "/home/me/site/docs", "/srv/www", "/srv/www/docs" },
    { "/home/me/site/docs/img", "/home/me/site", "/srv/www/docs/img", "/srv/www" },
    { "/home/me/site/docs", "/home/me/site/blog", "/srv/www/docs", "/srv/www/blog" },
    { "/home/me/site", "/home/me", "/srv/www", "/srv" },
    { "/home/me/site", "/", "/srv/www", NULL },
    { "/a", "/", "/srv", "/" },
    { "/a/b", "/a/b/c d/é", "/", "/c d/é" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = pas_browser_follow_path (cases[i].from, cases[i].to, cases[i].other);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* Synchronize Folders… from the menu: the preview lists what will be done
 * (excluded names left out, deletions only once asked for), Synchronize
 * makes the server's folder like this computer's. */
void
test_synchronize (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *local_before = g_strdup (pas_file_pane_get_location (local));
  g_autofree char *remote_before = g_strdup (pas_file_pane_get_location (remote));
  g_autofree char *here = g_build_filename (local_root, "sync-here", NULL);
  g_autofree char *there = g_build_filename (remote_root, "sync-there", NULL);
  g_autofree char *here_sub = g_build_filename (here, "sub", NULL);
  g_autofree char *here_git = g_build_filename (here, ".git", NULL);
  g_autofree char *there_a = g_build_filename (there, "a.txt", NULL);
  g_autofree char *there_b = g_build_filename (there, "sub", "b.txt", NULL);
  g_autofree char *there_old = g_build_filename (there, "old.txt", NULL);
  g_autofree char *there_git = g_build_filename (there, ".git", NULL);
  PasTransferQueue *queue = pas_application_get_queue (app);
  PasSyncDialog *dialog;
  GtkWidget *delete_switch;
  GtkWidget *run;
  guint queued_before;
  gulong paused_handler;
  guint n = 0;

  g_assert_cmpint (g_mkdir_with_parents (here_sub, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (here_git, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (there, 0755), ==, 0);
  {
    g_autofree char *a = g_build_filename (here, "a.txt", NULL);
    g_autofree char *b = g_build_filename (here_sub, "b.txt", NULL);
    g_autofree char *head = g_build_filename (here_git, "HEAD", NULL);
    g_autofree char *shortcut = g_build_filename (here, "shortcut", NULL);

    g_assert_true (g_file_set_contents (a, "alpha\n", -1, NULL));
    g_assert_true (g_file_set_contents (b, "beta\n", -1, NULL));
    g_assert_true (g_file_set_contents (head, "ref: main\n", -1, NULL));
    g_assert_true (g_file_set_contents (there_old, "old\n", -1, NULL));
    g_assert_cmpint (symlink ("a.txt", shortcut), ==, 0);
  }
  pas_file_pane_set_location (local, here);
  pas_file_pane_set_location (remote, there);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.synchronize", NULL));
  dialog = PAS_SYNC_DIALOG (pas_test_ui_find_window (PAS_TYPE_SYNC_DIALOG));
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));
  wait_plan (dialog);
  pas_test_ui_iterate (50);
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "a.txt"));
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "sub/"));
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "sub/b.txt"));
  g_assert_true (label_containing (GTK_WIDGET (dialog), "2 files to copy"));
  /* What is never copied is said. */
  g_assert_true (label_containing (GTK_WIDGET (dialog), "1 link or special file is left as it is."));
  g_assert_false (label_containing (GTK_WIDGET (dialog), ".git"));
  g_assert_null (find_label (GTK_WIDGET (dialog), "old.txt"));

  /* Deletions, once asked for, come first. */
  delete_switch = find_nth (GTK_WIDGET (dialog), GTK_TYPE_SWITCH, &n);
  g_assert_nonnull (delete_switch);
  /* The row is what a click or Enter activates. */
  g_assert_true (gtk_widget_activate (gtk_widget_get_ancestor (delete_switch, ADW_TYPE_ACTION_ROW)));
  /* (The switch turns on at the end of its animation.) */
  g_assert_true (pas_test_ui_wait_until (switch_is_on, delete_switch, 5));
  wait_plan (dialog);
  pas_test_ui_iterate (50);
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "old.txt"));
  g_assert_true (label_containing (GTK_WIDGET (dialog), "1 item to delete"));
  g_assert_cmpint (((PasSyncAction *) g_ptr_array_index (pas_sync_dialog_get_plan (dialog), 0))->kind, ==,
                   PAS_SYNC_DELETE);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "synchronize-dialog"));

  run = pas_test_ui_find_button (GTK_WIDGET (dialog), "_Synchronize");
  g_assert_nonnull (run);
  g_assert_true (gtk_widget_is_sensitive (run));
  queued_before = g_list_model_get_n_items (G_LIST_MODEL (queue));
  /* The copies wait, paused as they are queued, while the panes list the
   * folders again: only their end can then show what came. */
  paused_handler = g_signal_connect (queue, "items-changed", G_CALLBACK (pause_added_cb), NULL);
  gtk_widget_activate (run);
  /* A deletion is asked first; Cancel is the default. */
  {
    PasAlert *confirm = wait_for_dialog ();

    g_assert_cmpstr (pas_alert_get_heading (confirm), ==, "Delete 1 Item?");
    g_assert_cmpstr (pas_alert_get_default_response (confirm), ==, "cancel");
    respond (confirm, "delete");
  }
  {
    g_autoptr(PasTransfer) copies = NULL;

    g_assert_true (pas_test_ui_wait_until (sync_copies_queued, GUINT_TO_POINTER (queued_before + 1), 20));
    g_signal_handler_disconnect (queue, paused_handler);
    copies = g_list_model_get_item (G_LIST_MODEL (queue), queued_before);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
    pas_test_ui_iterate (200);
    g_assert_cmpuint (pas_transfer_get_state (copies), ==, PAS_TRANSFER_PAUSED);
    g_assert_false (shown_in_pane (&(Shown) { remote, "a.txt" }));
    pas_transfer_queue_resume (queue, copies);
  }
  {
    FileWanted a = { there_a, "alpha\n" };
    FileWanted b = { there_b, "beta\n" };

    g_assert_true (pas_test_ui_wait_until (file_says, &a, 30));
    g_assert_true (pas_test_ui_wait_until (file_says, &b, 30));
  }
  g_assert_false (g_file_test (there_old, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (there_git, G_FILE_TEST_EXISTS));
  g_assert_null (pas_test_ui_find_window (PAS_TYPE_SYNC_DIALOG));
  {
    /* The copies are one item of the queue (they overlap inside it), a
     * list of the plan's files rather than the whole folder. */
    g_autoptr(PasTransfer) item = NULL;
    g_auto(GStrv) left = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, queued_before + 1);
    item = g_list_model_get_item (G_LIST_MODEL (queue), queued_before);
    if (!pas_test_ui_wait_until (transfer_done, item, 20))
      {
        g_autofree char *channel = pas_sftp_session_describe (browser->sftp);

        g_error ("the copies never ended: state %d, %u of %u files, error: %s; browsing channel: %s",
                 pas_transfer_get_state (item), pas_transfer_get_files_done (item),
                 pas_transfer_get_files_total (item),
                 pas_transfer_get_error (item) != NULL ? pas_transfer_get_error (item)->message : "none", channel);
      }
    g_assert_cmpuint (pas_transfer_get_files_done (item), ==, 2);
    left = pas_transfer_dup_files (item);
    g_assert_nonnull (left);
    g_assert_cmpuint (g_strv_length (left), ==, 0);
    /* The end is said, as the start was, and the pane shows what came. */
    g_assert_true (pas_test_ui_wait_until (window_says, "Folders synchronized: 2 files copied", 20));
    /* It replaced the start's toast (gone, not waiting behind it). */
    g_assert_true (pas_test_ui_wait_until (window_lacks, "Synchronizing: 2 files to copy", 5));
    wait_shown (remote, "a.txt");
  }

  /* The server's copy edited since, so newer: the preview warns, and
   * Synchronize asks before an older file replaces it. */
  g_assert_true (g_file_set_contents (there_a, "alpha, edited on the server\n", -1, NULL));
  {
    struct utimbuf later = { time (NULL) + 3600, time (NULL) + 3600 };

    g_assert_cmpint (utime (there_a, &later), ==, 0);
  }

  /* Opened again from the main menu (its button keeps the focus), it has
   * the options last used; Escape closes it. */
  {
    GtkWidget *menu_button = pas_test_ui_find (GTK_WIDGET (window), is_of_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));

    g_assert_nonnull (menu_button);
    g_assert_true (gtk_widget_grab_focus (menu_button));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.synchronize", NULL));
  dialog = PAS_SYNC_DIALOG (pas_test_ui_find_window (PAS_TYPE_SYNC_DIALOG));
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));
  n = 0;
  delete_switch = find_nth (GTK_WIDGET (dialog), GTK_TYPE_SWITCH, &n);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (delete_switch)));
  wait_plan (dialog);
  pas_test_ui_iterate (20);
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "Copy: replaces a newer copy, 6 bytes"));
  run = pas_test_ui_find_button (GTK_WIDGET (dialog), "_Synchronize");
  gtk_widget_activate (run);
  {
    PasAlert *confirm = wait_for_dialog ();
    FileWanted kept = { there_a, "alpha, edited on the server\n" };

    g_assert_cmpstr (pas_alert_get_heading (confirm), ==, "Replace 1 Newer File?");
    g_assert_cmpstr (pas_alert_get_default_response (confirm), ==, "cancel");
    respond (confirm, "cancel");
    pas_test_ui_iterate (300);
    g_assert_true (file_says (&kept));
  }
  {
    /* From and To are information, not Tab stops. */
    GtkWidget *from = find_label (GTK_WIDGET (dialog), "From — This Computer");

    g_assert_nonnull (from);
    g_assert_false (gtk_widget_get_focusable (gtk_widget_get_ancestor (from, ADW_TYPE_ACTION_ROW)));
  }
  pas_test_ui_press_keys ("Synchronize Folders", "Escape");
  g_assert_true (pas_test_ui_wait_until (no_sync_dialog, NULL, 5));
  {
    /* The keyboard is back in a file list, not on the menu button. */
    GtkWidget *focus;

    pas_test_ui_iterate (300);
    focus = gtk_window_get_focus (GTK_WINDOW (window));
    g_assert_nonnull (focus);
    g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_COLUMN_VIEW));
  }

  pas_file_pane_set_location (local, local_before);
  pas_file_pane_set_location (remote, remote_before);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
}
