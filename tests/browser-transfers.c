/* Transfers through the window: the actions, drops on either pane and from
 * the window to the desktop, conflicts, and the transfer panel's truth and
 * focus; the window never stalls while they run. */

#include "config.h"

#include "browser-fixture.h"

static gboolean
panel_shows (gpointer text)
{
  return find_label (GTK_WIDGET (pas_window_get_transfer_panel (window)), text) != NULL;
}

/* The X window a dialog's keys go to: its own (libadwaita 1.2's
 * AdwMessageDialog, titled with its heading) or the main window's (1.6's
 * AdwAlertDialog lives inside it). */
static const char *
alert_window_title (const char *heading)
{
  return g_type_is_a (PAS_TYPE_ALERT, GTK_TYPE_WINDOW) ? heading : "Passerelle";
}

void
test_upload_and_download (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *uploaded = g_build_filename (remote_root, "report.txt", NULL);
  g_autofree char *downloaded = g_build_filename (local_root, "notes-copy", "docs", "notes.txt", NULL);
  g_autofree char *contents = NULL;

  pas_file_pane_set_location (local, local_root);
  select_only (local, "report.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  g_assert_true (pas_test_ui_wait_until (file_exists, uploaded, 30));
  assert_queue_all_done ();
  contents = read_file (uploaded);
  g_assert_cmpstr (contents, ==, "Quarterly report\n");
  /* The remote pane shows what arrived. */
  wait_shown (remote, "report.txt");
  g_clear_pointer (&contents, g_free);

  /* Download a whole folder with F5 from the remote pane into a local folder. */
  {
    g_autofree char *target = g_build_filename (local_root, "notes-copy", NULL);
    g_assert_cmpint (g_mkdir (target, 0755), ==, 0);
    pas_file_pane_set_location (local, target);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  }
  select_only (remote, "docs");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.transfer", NULL));
  g_assert_true (pas_test_ui_wait_until (file_exists, downloaded, 30));
  assert_queue_all_done ();
  {
    g_autofree char *folder_copy = g_build_filename (local_root, "notes-copy", "docs", "notes.txt", NULL);
    /* The folder itself came: notes-copy/docs/notes.txt. */
    g_assert_true (g_file_test (folder_copy, G_FILE_TEST_IS_REGULAR));
    contents = read_file (folder_copy);
    g_assert_cmpstr (contents, ==, "- renew the certificate\n");
  }
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (pas_window_get_transfer_panel (window)), "transfer-panel"));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-connected"));
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
}

static gboolean
notified (gpointer data)
{
  return notifications->len > 0;
}

void
test_drop_on_remote_pane (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  GtkDropTarget *target = pas_file_pane_get_drop_target (remote);
  g_autofree char *dropped_path = g_build_filename (local_root, "dropped.bin", NULL);
  g_autofree char *arrived = g_build_filename (remote_root, "docs", "dropped.bin", NULL);
  g_autoptr(GFile) dropped = g_file_new_for_path (dropped_path);
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;
  GSList *files = g_slist_prepend (NULL, dropped);
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;
  graphene_rect_t bounds;
  GtkWidget *docs_row = NULL;

  {
    GString *data = g_string_new (NULL);
    for (guint i = 0; i < 300000; i++)
      g_string_append_c (data, (char) (i * 7 + i / 13));
    g_assert_true (g_file_set_contents (dropped_path, data->str, (gssize) data->len, NULL));
    g_string_free (data, TRUE);
  }
  wait_shown (remote, "docs");
  pas_test_ui_iterate (200);

  /* Dropped onto the "docs" row, the file goes into that folder. */
  docs_row = find_cell (GTK_WIDGET (remote), "docs");
  g_assert_nonnull (docs_row);
  g_assert_true (gtk_widget_compute_bounds (docs_row, GTK_WIDGET (remote), &bounds));

  /* The end of the batch is notified when the window is in the background. */
  pas_transfer_panel_set_notify_after (pas_window_get_transfer_panel (window), 0);
  g_ptr_array_set_size (notifications, 0);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, files);
  g_signal_emit_by_name (target, "drop", &value,
                         (double) (bounds.origin.x + bounds.size.width / 2),
                         (double) (bounds.origin.y + bounds.size.height / 2), &handled);
  g_value_unset (&value);
  g_slist_free (files);
  g_assert_true (handled);

  g_assert_true (pas_test_ui_wait_until (file_exists, arrived, 30));
  assert_queue_all_done ();
  sent = read_file (dropped_path);
  received = read_file (arrived);
  g_assert_cmpmem (sent, 300000, received, 300000);
  if (!gtk_window_is_active (GTK_WINDOW (window)))
    {
      g_assert_true (pas_test_ui_wait_until (notified, NULL, 10));
      g_assert_cmpstr (g_ptr_array_index (notifications, 0), ==, "Transfers Finished");
    }
  else
    g_test_message ("the window has the focus: no notification expected");
  pas_transfer_panel_set_notify_after (pas_window_get_transfer_panel (window), 5 * G_USEC_PER_SEC);
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
}

void
test_conflict_keep_both (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  g_autofree char *existing = g_build_filename (remote_root, "report.txt", NULL);
  g_autofree char *second = g_build_filename (remote_root, "report (2).txt", NULL);
  g_autofree char *contents = NULL;
  PasAlert *dialog;

  /* report.txt is on the server (since the upload test; put there when this
   * case runs alone): uploading it again asks. */
  if (!g_file_test (existing, G_FILE_TEST_IS_REGULAR))
    g_assert_true (g_file_set_contents (existing, "Quarterly report\n", -1, NULL));
  pas_file_pane_set_location (local, local_root);
  select_only (local, "report.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "File Already Exists");
  g_assert_true (g_str_has_prefix (pas_alert_get_body (dialog), "“report.txt”\n"));
  g_assert_cmpstr (pas_alert_get_default_response (dialog), ==, "skip");
  g_assert_true (pas_alert_has_response (dialog, "overwrite"));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "conflict-dialog"));
  respond (dialog, "rename");
  g_assert_true (pas_test_ui_wait_until (file_exists, second, 30));
  assert_queue_all_done ();
  /* The row says where the file went. */
  {
    g_autofree char *row = g_strdup_printf ("report.txt → %s", second);
    g_assert_true (pas_test_ui_wait_until (panel_shows, row, 10));
  }
  contents = read_file (second);
  g_assert_cmpstr (contents, ==, "Quarterly report\n");
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));

  /* Return on the focused "Apply to all" box answers with the default
   * (Skip), as on any other control; it used to flip the box. Real keys. */
  select_only (local, "report.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  dialog = wait_for_dialog ();
  g_assert_true (GTK_IS_CHECK_BUTTON (pas_alert_get_extra_child (dialog)));
  g_assert_true (gtk_widget_grab_focus (pas_alert_get_extra_child (dialog)));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  pas_test_ui_press_keys (alert_window_title ("File Already Exists"), "Return");
  g_assert_true (pas_test_ui_wait_until (pointer_is_null, &dialog, 5));
  assert_queue_all_done ();
  {
    g_autoptr(PasTransfer) last = g_list_model_get_item (G_LIST_MODEL (pas_application_get_queue (app)), 0);
    g_assert_cmpuint (pas_transfer_get_files_skipped (last), ==, 1);
    /* The panel says it was skipped, not "Done" with a size. */
    g_assert_true (pas_test_ui_wait_until (panel_shows, "Skipped — the file already there was kept", 5));
  }
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));

  /* A shorter copy that is the start of the file: Resume is offered, with
   * both sizes, and continues it. */
  {
    g_autofree char *source = g_build_filename (local_root, "log.txt", NULL);
    g_autofree char *target = g_build_filename (remote_root, "log.txt", NULL);
    g_autoptr(GString) text = g_string_new (NULL);
    g_autofree char *uploaded = NULL;

    for (guint i = 0; i < 4000; i++)
      g_string_append_printf (text, "line %u\n", i);
    g_assert_true (g_file_set_contents (source, text->str, (gssize) text->len, NULL));
    g_assert_true (g_file_set_contents (target, text->str, 1000, NULL));
    pas_file_pane_reload (local);
    select_only (local, "log.txt");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
    dialog = wait_for_dialog ();
    g_assert_true (pas_alert_has_response (dialog, "resume"));
    /* (g_format_size() puts a no-break space before the unit.) */
    g_assert_nonnull (strstr (pas_alert_get_body (dialog), "Existing: 1.0\u00a0kB"));
    g_assert_nonnull (strstr (pas_alert_get_body (dialog), "Incoming: 38.9\u00a0kB"));
    g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "conflict-dialog-resume"));
    respond (dialog, "resume");
    assert_queue_all_done ();
    uploaded = read_file (target);
    g_assert_cmpstr (uploaded, ==, text->str);
    pas_transfer_queue_clear_finished (pas_application_get_queue (app));
    g_unlink (source);
    g_unlink (target);
  }
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

void
test_drag_out_to_desktop (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autoptr(GdkContentProvider) content = NULL;
  g_autoptr(GdkContentFormats) formats = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) uris = NULL;
  g_autofree char *copy_path = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *contents = NULL;

  /* The desktop asks for text/uri-list: the folder is copied to a private
   * temporary folder first, and its local address is handed over. */
  select_only (remote, "docs");
  content = pas_file_pane_create_drag_content (remote);
  g_assert_nonnull (content);
  formats = gdk_content_provider_ref_formats (content);
  g_assert_true (gdk_content_formats_contain_mime_type (formats, "text/uri-list"));
  g_assert_true (gdk_content_formats_contain_gtype (formats, PAS_TYPE_REMOTE_SELECTION));

  gdk_content_provider_write_mime_type_async (content, "text/uri-list", stream, G_PRIORITY_DEFAULT, NULL,
                                              pas_test_store_result_cb, &result);
  g_assert_true (pas_test_ui_wait_until (result_ready, &result, 30));
  g_assert_true (gdk_content_provider_write_mime_type_finish (content, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  uris = g_uri_list_extract_uris (text);
  g_assert_cmpuint (g_strv_length (uris), ==, 1);
  copy_path = g_filename_from_uri (uris[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (copy_path, g_get_user_cache_dir ()));
  g_assert_true (g_str_has_suffix (copy_path, "/docs"));
  inside = g_build_filename (copy_path, "notes.txt", NULL);
  contents = read_file (inside);
  g_assert_cmpstr (contents, ==, "- renew the certificate\n");
  assert_queue_all_done ();
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
}

void
test_drop_on_local_pane (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *target = g_build_filename (local_root, "from-server", NULL);
  g_autofree char *arrived = g_build_filename (target, "readme.md", NULL);
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(PasRemoteSelection) drag = NULL;
  g_autofree char *contents = NULL;
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  /* Remote files dragged onto the local list land in the folder it shows. */
  g_assert_cmpint (g_mkdir (target, 0755), ==, 0);
  pas_file_pane_set_location (local, target);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  select_only (remote, "readme.md");
  selected = pas_file_pane_get_selected (remote);
  drag = pas_remote_selection_new (remote, selected);
  g_value_init (&value, PAS_TYPE_REMOTE_SELECTION);
  g_value_set_object (&value, drag);
  g_signal_emit_by_name (pas_file_pane_get_drop_target (local), "drop", &value, 40.0, 200.0, &handled);
  g_value_unset (&value);
  g_assert_true (handled);
  g_assert_true (pas_test_ui_wait_until (file_exists, arrived, 30));
  assert_queue_all_done ();
  contents = read_file (arrived);
  g_assert_true (g_str_has_prefix (contents, "# Demo"));
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
}

static goffset
size_of (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_size;
}

static void
make_sparse (const char *path,
             goffset     size)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
}

static gboolean
summary_starts (gpointer data)
{
  return g_str_has_prefix (summary (), data);
}

/* Fails with what the header said instead. */
static void
wait_summary (const char *prefix,
              guint       seconds)
{
  if (!pas_test_ui_wait_until (summary_starts, (gpointer) prefix, seconds))
    g_error ("after %u s the transfer panel says “%s”, not “%s…”", seconds, summary (), prefix);
}

static gboolean
some_bytes_done (gpointer data)
{
  return pas_transfer_queue_get_bytes_done (pas_application_get_queue (app)) > GPOINTER_TO_UINT (data);
}

static gboolean
remote_lists (gpointer name)
{
  return model_has (pas_browser_get_remote_pane (browser), name);
}

/* Loaded, so not merely emptied for a reload. */
static gboolean
remote_lists_not (gpointer name)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);

  return !pas_file_pane_is_loading (remote) && g_list_model_get_n_items (pas_file_pane_get_model (remote)) > 0 &&
         !remote_lists (name);
}

/* The transfer panel says what is true: a paused item keeps the bytes its
 * .filepart holds and the header says "Paused", never "done"; a question
 * waiting is said in the header; the header's totals count unfinished work;
 * at the end it says "Done". Through the panel's own actions. */
/* The preference reaches the queue through GSettings' "changed", which
 * newer GLib (2.84) delivers from the main loop: let it arrive before the
 * transfer it should slow down runs (unthrottled, a 24 MiB copy was over
 * before the test looked). */
static void
set_speed_limit (GSettings *settings,
                 guint      kib_per_s)
{
  PasTransferQueue *queue = pas_application_get_queue (app);

  g_settings_set_uint (settings, "speed-limit", kib_per_s);
  for (int i = 0; i < 100 && pas_transfer_queue_get_speed_limit (queue) != (guint64) kib_per_s * 1024; i++)
    pas_test_ui_iterate (10);
  g_assert_cmpuint (pas_transfer_queue_get_speed_limit (queue), ==, (guint64) kib_per_s * 1024);
}

void
test_panel_tells_the_truth (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PasTransferQueue *queue = pas_application_get_queue (app);
  PasTransferPanel *panel = pas_window_get_transfer_panel (window);
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *source = g_build_filename (local_root, "slow.bin", NULL);
  g_autofree char *uploaded = g_build_filename (remote_root, "slow.bin", NULL);
  g_autofree char *partial = g_build_filename (remote_root, "slow.bin.filepart", NULL);
  PasAlert *dialog;

  make_sparse (source, 24 << 20);
  pas_file_pane_set_location (remote, remote_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  set_speed_limit (settings, 4096);   /* KiB/s */
  pas_file_pane_set_location (local, local_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  select_only (local, "slow.bin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  wait_summary ("Transferring 1 item: ", 10);
  g_assert_true (pas_test_ui_wait_until (some_bytes_done, GUINT_TO_POINTER (4 << 20), 20));
  /* Refreshed by hand while it runs, the listing shows the partial copy… */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.refresh", NULL));
  g_assert_true (pas_test_ui_wait_until (remote_lists, "slow.bin.filepart", 10));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.pause-all", NULL));
  wait_summary ("Paused — 1 item: ", 10);
  g_test_message ("paused: %s", summary ());
  /* What the .filepart holds still counts, in the header and the row. */
  g_assert_cmpuint (pas_transfer_queue_get_bytes_done (queue), >, 4 << 20);
  g_assert_null (strstr (summary (), "0 bytes of"));
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "transfer-paused"));

  /* Ctrl+Q while it runs asks first; keeping on keeps the window and the
   * transfer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.resume-all", NULL));
  wait_summary ("Transferring 1 item: ", 10);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Stop 1 Transfer?");
  g_assert_cmpstr (pas_alert_get_default_response (dialog), ==, "keep");
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "quit-question"));
  respond (dialog, "keep");
  pas_test_ui_iterate (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (g_str_has_prefix (summary (), "Transferring 1 item: "));

  g_settings_set_uint (settings, "speed-limit", 0);
  assert_queue_all_done ();
  wait_summary ("Done", 10);
  /* …and at the end the file, by itself. */
  g_assert_true (pas_test_ui_wait_until (remote_lists, "slow.bin", 10));
  g_assert_true (pas_test_ui_wait_until (remote_lists_not, "slow.bin.filepart", 10));
  /* Finished work leaves the totals. */
  g_assert_cmpuint (pas_transfer_queue_get_bytes_total (queue), ==, 0);
  pas_transfer_queue_clear_finished (queue);

  /* Uploading it again asks; meanwhile the header says so. */
  g_assert_true (g_file_test (uploaded, G_FILE_TEST_IS_REGULAR));
  select_only (local, "slow.bin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  dialog = wait_for_dialog ();
  wait_summary ("Waiting for your answer", 10);
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "transfer-waiting-for-answer"));
  /* "Replace", then a pause: resuming does not ask again. */
  set_speed_limit (settings, 4096);
  respond (dialog, "overwrite");
  wait_summary ("Transferring 1 item: ", 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.pause-all", NULL));
  wait_summary ("Paused", 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.resume-all", NULL));
  g_assert_false (pas_test_ui_wait_until (dialog_shown, NULL, 2));
  g_settings_set_uint (settings, "speed-limit", 0);
  assert_queue_all_done ();
  wait_summary ("Done", 10);
  pas_transfer_queue_clear_finished (queue);

  /* Cancel is for good: the partial copy goes, from the server and the listing. */
  set_speed_limit (settings, 4096);
  select_only (local, "slow.bin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  dialog = wait_for_dialog ();
  respond (dialog, "overwrite");
  g_assert_true (pas_test_ui_wait_until (some_bytes_done, GUINT_TO_POINTER (1 << 20), 20));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.refresh", NULL));
  g_assert_true (pas_test_ui_wait_until (remote_lists, "slow.bin.filepart", 10));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.cancel-all", NULL));
  g_assert_true (pas_test_ui_wait_until (file_missing, partial, 10));
  /* Nothing was copied: the header does not say "Done". */
  wait_summary ("1 transfer cancelled", 10);
  g_assert_true (pas_test_ui_wait_until (remote_lists_not, "slow.bin.filepart", 10));
  g_assert_true (pas_test_ui_wait_until (remote_lists, "slow.bin", 10));   /* the earlier copy stays */
  g_settings_set_uint (settings, "speed-limit", 0);
  pas_transfer_queue_clear_finished (queue);
  g_unlink (source);
  g_unlink (uploaded);
}

/* A label under @widget whose text starts with @prefix. */
static gboolean
is_label_starting (GtkWidget    *widget,
                   gconstpointer prefix)
{
  return text_of (widget) != NULL && g_str_has_prefix (text_of (widget), prefix);
}

static GtkWidget *
label_starting (GtkWidget  *widget,
                const char *prefix)
{
  return pas_test_ui_find (widget, is_label_starting, prefix);
}

static int
first_running (void)
{
  GListModel *model = G_LIST_MODEL (pas_application_get_queue (app));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (model, i);

      if (pas_transfer_get_state (t) == PAS_TRANSFER_RUNNING)
        return (int) i;
    }
  return -1;
}

static gboolean
summary_contains (gpointer data)
{
  return strstr (summary (), data) != NULL;
}

static gboolean
queue_has (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (pas_application_get_queue (app))) == GPOINTER_TO_UINT (data);
}

static gboolean
running_from (gpointer data)
{
  return first_running () >= GPOINTER_TO_INT (data);
}

/* CPU time this thread has used, in ms (/proc/thread-self/schedstat). */
static double
thread_cpu_ms (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL))
    return 0;
  return (double) g_ascii_strtoull (text, NULL, 10) / 1e6;
}

/* Whether the row of the first running item is on screen in @data, the
 * panel's scrolled window. */
static gboolean
running_row_in_view (gpointer data)
{
  GtkWidget *scroller = data;
  int running = first_running ();
  g_autofree char *name = g_strdup_printf ("f%02d.bin → ", running);
  GtkWidget *row = running >= 0 ? label_starting (scroller, name) : NULL;
  graphene_rect_t bounds;

  return row != NULL && gtk_widget_get_mapped (row) && gtk_widget_compute_bounds (row, scroller, &bounds) &&
         bounds.size.height > 0 && bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

/* Twelve files uploaded one by one under a speed limit: the panel follows
 * the item at work down its list, so the row that moves is in view. */
void
test_panel_follows_work (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PasTransferPanel *panel = pas_window_get_transfer_panel (window);
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *here = g_build_filename (local_root, "follow", NULL);
  g_autofree char *there = g_build_filename (remote_root, "follow", NULL);
  GtkWidget *scroller = find_descendant (GTK_WIDGET (panel), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *list = find_descendant (GTK_WIDGET (local), GTK_TYPE_LIST_VIEW);
  GtkWidget *row;
  graphene_rect_t bounds;
  int running;

  g_assert_cmpint (g_mkdir (here, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (there, 0755), ==, 0);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/f%02u.bin", here, i);
      make_sparse (path, 256 << 10);
    }
  set_speed_limit (settings, 512);   /* KiB/s: about half a second a file */
  pas_file_pane_set_location (remote, there);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  pas_file_pane_set_location (local, here);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  /* From this computer's pane, as a person would: its list focused. */
  pas_file_pane_focus_list (local);
  pas_test_ui_iterate (100);
  g_assert_true (pas_browser_get_active_pane (browser) == local);
  g_assert_true (gtk_widget_activate_action (list, "list.select-all", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  g_assert_true (pas_test_ui_wait_until (queue_has, GUINT_TO_POINTER (12), 10));
  g_assert_true (pas_test_ui_wait_until (widget_mapped, panel, 10));
  /* The total is the twelve files' as the pane listed them, from the start:
   * not only those that have begun. */
  {
    g_autofree char *whole = g_format_size (12 * (256 << 10));
    g_autofree char *of_whole = g_strdup_printf (" of %s", whole);

    g_assert_true (pas_test_ui_wait_until (summary_contains, of_whole, 5));
    g_test_message ("twelve queued: %s", summary ());
  }
  /* Meanwhile the window does little: rows and the header change a few
   * times a second, nothing more. */
  {
    double cpu = thread_cpu_ms ();
    gint64 start = g_get_monotonic_time ();
    double share;

    g_assert_true (pas_test_ui_wait_until (running_from, GINT_TO_POINTER (8), 30));
    share = (thread_cpu_ms () - cpu) * 1000.0 / (double) (g_get_monotonic_time () - start);
    g_test_message ("main thread busy %.1f %% of the time while the panel follows the queue", share * 100);
    /* Under ASan every allocation unwinds the stack: 99 % measured there,
     * which says nothing about the app. */
#if !defined(__SANITIZE_ADDRESS__)
    g_assert_cmpfloat (share, <, 0.5);
#endif
  }
  /* The running row exists (the list made it) and lies inside the visible
   * part — within a moment, on a slow (sanitized) build too. */
  g_assert_true (pas_test_ui_wait_until (running_row_in_view, scroller, 5));
  running = first_running ();
  g_test_message ("item %d of 12 at work", running);
  {
    g_autofree char *name = g_strdup_printf ("f%02d.bin → ", running);

    row = label_starting (scroller, name);
  }
  if (row != NULL && gtk_widget_compute_bounds (row, scroller, &bounds))
    g_test_message ("row at y %.0f–%.0f of %d", bounds.origin.y, bounds.origin.y + bounds.size.height,
                    gtk_widget_get_height (scroller));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "transfer-panel-follows"));
  /* A paused item is not counted as transferring. */
  {
    GListModel *model = G_LIST_MODEL (pas_application_get_queue (app));
    g_autoptr(PasTransfer) last = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);

    pas_transfer_queue_pause (pas_application_get_queue (app), last);
    g_assert_true (pas_test_ui_wait_until (summary_contains, (gpointer) "(1 paused): ", 5));
    g_test_message ("with one paused: %s", summary ());
    pas_transfer_queue_resume (pas_application_get_queue (app), last);
  }

  g_settings_set_uint (settings, "speed-limit", 0);
  assert_queue_all_done ();
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
  pas_test_rm_rf (here, NULL);
  pas_test_rm_rf (there, NULL);
  pas_file_pane_set_location (local, local_root);
  pas_file_pane_set_location (remote, remote_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
}

/* A 1 GiB download and a 1 GiB upload (F5), then a 2,000-file tree upload,
 * through the window: the copies' disk work happens in the transfer thread,
 * so the window never waits on it. */
void
test_transfers_never_stall (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *here = g_build_filename (local_root, "stall", NULL);
  g_autofree char *there = g_build_filename (remote_root, "stall", NULL);
  g_autofree char *big_there = g_build_filename (there, "big-down.bin", NULL);
  g_autofree char *big_here = g_build_filename (here, "big-up.bin", NULL);
  g_autofree char *downloaded = g_build_filename (here, "big-down.bin", NULL);
  g_autofree char *uploaded = g_build_filename (there, "big-up.bin", NULL);
  g_autofree char *tree = g_build_filename (here, "tree", NULL);
  g_autofree char *last_leaf = g_build_filename (there, "tree", "d19", "f099.txt", NULL);
  Probes probes = { 0 };

  g_assert_cmpint (g_mkdir (here, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (there, 0755), ==, 0);
  make_sparse (big_there, (goffset) 1 << 30);
  make_sparse (big_here, (goffset) 1 << 30);
  for (guint d = 0; d < 20; d++)
    for (guint f = 0; f < 100; f++)
      {
        g_autofree char *dir = g_strdup_printf ("%s/d%02u", tree, d);
        g_autofree char *path = g_strdup_printf ("%s/f%03u.txt", dir, f);

        g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
        g_assert_true (g_file_set_contents (path, path, -1, NULL));
      }
  pas_file_pane_set_location (local, here);
  pas_file_pane_set_location (remote, there);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));

  select_only (remote, "big-down.bin");
  {
    g_autoptr(PasStallProbe) quiet = pas_stall_probe_new (NULL, 16, FALSE);

    settle (quiet);
  }
  probes_start (&probes, STALL_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.transfer", NULL));
  assert_queue_all_done ();
  probes_check (&probes, "a 1 GiB download");
  g_assert_cmpint (size_of (downloaded), ==, (goffset) 1 << 30);

  select_only (local, "big-up.bin");
  probes_start (&probes, STALL_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.transfer", NULL));
  assert_queue_all_done ();
  probes_check (&probes, "a 1 GiB upload");
  g_assert_cmpint (size_of (uploaded), ==, (goffset) 1 << 30);

  select_only (local, "tree");
  probes_start (&probes, STALL_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.transfer", NULL));
  assert_queue_all_done ();
  probes_check (&probes, "a 2,000-file tree upload");
  g_assert_true (g_file_test (last_leaf, G_FILE_TEST_IS_REGULAR));

  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
  pas_file_pane_set_location (local, local_root);
  pas_file_pane_set_location (remote, remote_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  pas_test_rm_rf (here, NULL);
  pas_test_rm_rf (there, NULL);
}
