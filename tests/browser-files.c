/* Browsing and file operations: the panes, the keyboard in the list and its
 * menu, connection details, folder operations on the server, properties,
 * opening a remote file, the preferences applied, and Run a Command. */

#include "config.h"

#include "browser-fixture.h"

static char *
model_names (GListModel *model)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (model, i);
      g_string_append_printf (s, "%s%s", i > 0 ? " " : "", g_file_info_get_name (info));
    }
  return g_string_free (s, FALSE);
}

static gboolean
gone_from_pane (gpointer data)
{
  Shown *shown = data;

  return !pas_file_pane_is_loading (shown->pane) && !model_has (shown->pane, shown->name);
}

void
test_browse (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *docs = g_build_filename (remote_root, "docs", NULL);

  select_only (remote, "docs");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.open", NULL));
  g_assert_cmpstr (pas_file_pane_get_location (remote), ==, docs);
  wait_shown (remote, "notes.txt");
  /* Hidden files stay hidden until asked for. */
  g_assert_false (model_has (remote, ".secret"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.show-hidden", NULL));
  g_assert_true (model_has (remote, ".secret"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.show-hidden", NULL));
  g_assert_false (model_has (remote, ".secret"));

  /* Up again: the folder we came from is selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.up", NULL));
  g_assert_cmpstr (pas_file_pane_get_location (remote), ==, remote_root);
  wait_shown (remote, "docs");
  {
    g_autoptr(GPtrArray) selected = pas_file_pane_get_selected (remote);
    g_assert_cmpuint (selected->len, ==, 1);
    g_assert_cmpstr (g_file_info_get_name (g_ptr_array_index (selected, 0)), ==, "docs");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.back", NULL));
  g_assert_cmpstr (pas_file_pane_get_location (remote), ==, docs);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.back", NULL));
  g_assert_cmpstr (pas_file_pane_get_location (remote), ==, remote_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));

  /* The Size header, as a click on it sorts (biggest first the second time):
   * folders stay first, then files by size. */
  {
    g_autofree char *folder = g_build_filename (remote_root, "sorting", NULL);
    const char *files[] = { "a-middle", "b-small", "c-big", "sub" };
    const gsize sizes[] = { 2000, 10, 90000 };
    GtkColumnView *view = find_column_view (GTK_WIDGET (remote));
    g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
    g_autoptr(GtkColumnViewColumn) size = g_list_model_get_item (gtk_column_view_get_columns (view), 1);
    g_autofree char *order = NULL;

    g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *path = g_build_filename (folder, files[i], NULL);
        g_autofree char *data = g_malloc0 (sizes[i]);
        g_assert_true (g_file_set_contents (path, data, sizes[i], NULL));
      }
    {
      g_autofree char *sub = g_build_filename (folder, "sub", NULL);
      g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
    }
    pas_file_pane_set_location (remote, folder);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
    g_assert_cmpstr (gtk_column_view_column_get_title (size), ==, "Size");
    gtk_column_view_sort_by_column (view, size, GTK_SORT_DESCENDING);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
    order = model_names (pas_file_pane_get_model (remote));
    g_assert_cmpstr (order, ==, "sub c-big a-middle b-small");
    g_free (order);
    gtk_column_view_sort_by_column (view, size, GTK_SORT_ASCENDING);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
    order = model_names (pas_file_pane_get_model (remote));
    g_assert_cmpstr (order, ==, "sub b-small a-middle c-big");
    g_free (order);
    gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
    order = model_names (pas_file_pane_get_model (remote));
    g_assert_cmpstr (order, ==, "sub a-middle b-small c-big");
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *path = g_build_filename (folder, files[i], NULL);
        g_assert_cmpint (g_remove (path), ==, 0);
      }
    g_assert_cmpint (g_rmdir (folder), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.back", NULL));
    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  }
}

static GtkWidget *
visible_popover_menu (GtkWidget *widget)
{
  if (GTK_IS_POPOVER_MENU (widget) && gtk_widget_get_visible (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = visible_popover_menu (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
popover_shown (gpointer pane)
{
  GtkWidget *popover = visible_popover_menu (pane);

  return popover != NULL && gtk_widget_get_mapped (popover);
}

/* From the keyboard: a row that gets the focus with nothing selected is the
 * one actions act on (F5 had nothing to copy), and the context-menu key
 * (Shift+F10, Menu) opens the menu at it — without Upload on the remote
 * side. */
void
test_keyboard_row_and_menu (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  GtkColumnView *view = find_column_view (GTK_WIDGET (remote));
  GtkWidget *row;
  GtkWidget *popover;

  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  wait_shown (remote, "docs");
  /* Escape in the path entry gives up what was typed (real keys). (Here,
   * after the idle test: GTK 4.18's entry went on waking the window for
   * some seconds after it lost the focus.) */
  {
    GtkWidget *focus;
    GtkEditable *entry;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.location", NULL));
    entry = GTK_EDITABLE (gtk_window_get_focus (GTK_WINDOW (window)));
    gtk_editable_set_text (entry, "/nowhere/typed");
    pas_test_ui_press_keys ("Passerelle", "Escape");
    g_assert_cmpstr (gtk_editable_get_text (entry), ==, remote_root);
    for (focus = gtk_window_get_focus (GTK_WINDOW (window)); focus != NULL && !GTK_IS_COLUMN_VIEW (focus);
         focus = gtk_widget_get_parent (focus))
      ;
    g_assert_nonnull (focus);
  }

  /* From elsewhere (the path entry), so that the row's focus is new. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.location", NULL));
  gtk_selection_model_unselect_all (gtk_column_view_get_model (view));
  /* The row widget that takes the focus, as Tab or an arrow key gives it. */
  row = focusable_row_of (remote, "docs");
  g_assert_true (gtk_widget_grab_focus (row));
  pas_test_ui_iterate (50);
  {
    g_autoptr(GPtrArray) selected = pas_file_pane_get_selected (remote);
    g_assert_cmpuint (selected->len, ==, 1);
    g_assert_cmpstr (g_file_info_get_name (g_ptr_array_index (selected, 0)), ==, "docs");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.context-menu", NULL));
  g_assert_true (pas_test_ui_wait_until (popover_shown, remote, 5));
  popover = visible_popover_menu (GTK_WIDGET (remote));
  pas_test_ui_iterate (200);
  g_free (pas_test_ui_screenshot (popover, "context-menu-from-keyboard"));
  g_assert_true (label_containing (popover, "Download"));
  g_assert_false (label_containing (popover, "Upload"));
  /* The keys the shortcuts window lists, not their alternatives. */
  g_assert_true (label_containing (popover, "F7"));
  g_assert_false (label_containing (popover, "Shift+Ctrl+N"));
  g_assert_false (label_containing (popover, "KP Delete"));
  gtk_popover_popdown (GTK_POPOVER (popover));
  pas_test_ui_iterate (100);
}

/* Text of every label under @widget, one per line. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (text_of (widget) != NULL)
    g_string_append_printf (out, "%s\n", text_of (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* The primary menu's Connection Details: what was agreed, as the engine says. */
void
test_connection_details (void)
{
  PasConnection *connection = pas_browser_get_connection (browser);
  const PasAlgorithms *agreed = pas_connection_get_algorithms (connection);
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree char *fingerprint = pas_host_key_get_fingerprint (pas_connection_get_host_key (connection));
  PasAlert *dialog;

  g_assert_nonnull (agreed);
  /* Ours first: AES-CTR (test-ciphers covers every pair). */
  g_assert_cmpstr (agreed->cipher_out, ==, "aes128-ctr");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connection-details", NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Connection Details");
  collect_labels (pas_alert_get_extra_child (dialog), labels);
  g_assert_nonnull (strstr (labels->str, "aes128-ctr\n"));
  g_assert_nonnull (strstr (labels->str, agreed->kex));
  g_assert_nonnull (strstr (labels->str, agreed->mac_out));
  g_assert_nonnull (strstr (labels->str, fingerprint));
  g_assert_nonnull (strstr (labels->str, "publickey\n"));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "connection-details"));
  respond (dialog, "close");
}

void
test_remote_folder_operations (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *made = g_build_filename (remote_root, "Été 2026", NULL);
  g_autofree char *renamed = g_build_filename (remote_root, "Summer 2026", NULL);
  PasAlert *dialog;
  GtkEditable *entry;

  /* New folder: F7's dialog; an impossible name cannot be confirmed. */
  pas_file_pane_focus_list (remote);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.new-folder", NULL));
  dialog = wait_for_dialog ();
  entry = GTK_EDITABLE (pas_alert_get_extra_child (dialog));
  gtk_editable_set_text (entry, "a/b");
  g_assert_false (pas_alert_get_response_enabled (dialog, "create"));
  gtk_editable_set_text (entry, "Été 2026");
  g_assert_true (pas_alert_get_response_enabled (dialog, "create"));
  respond (dialog, "create");
  g_assert_true (pas_test_ui_wait_until (file_exists, made, 20));
  g_assert_true (g_file_test (made, G_FILE_TEST_IS_DIR));
  wait_shown (remote, "Été 2026");

  /* Rename in place (F2). */
  select_only (remote, "Été 2026");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.rename", NULL));
  entry = pas_file_pane_get_rename_entry (remote);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Été 2026");
  gtk_editable_set_text (entry, "Summer 2026");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (pas_test_ui_wait_until (file_exists, renamed, 20));
  g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));
  wait_shown (remote, "Summer 2026");

  /* Onto a name that is taken: refused, and said so (SFTP v3 only says
   * "Failure"). */
  {
    g_autofree char *taken = g_build_filename (remote_root, "taken.txt", NULL);

    g_assert_true (g_file_set_contents (taken, "keep me", -1, NULL));
    pas_file_pane_reload (remote);
    select_only (remote, "Summer 2026");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.rename", NULL));
    gtk_editable_set_text (pas_file_pane_get_rename_entry (remote), "taken.txt");
    g_signal_emit_by_name (pas_file_pane_get_rename_entry (remote), "activate");
    g_assert_true (pas_test_ui_wait_until (window_says, "“taken.txt” already exists", 10));
    g_assert_true (g_file_test (renamed, G_FILE_TEST_IS_DIR));
    g_unlink (taken);
    pas_file_pane_reload (remote);
  }

  /* Delete, with something inside, after a confirmation; cancelling keeps it. */
  {
    g_autofree char *inside = g_build_filename (renamed, "inside.txt", NULL);
    g_assert_true (g_file_set_contents (inside, "x", 1, NULL));
  }
  select_only (remote, "Summer 2026");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.delete", NULL));
  dialog = wait_for_dialog ();
  respond (dialog, "cancel");
  pas_test_ui_iterate (300);
  g_assert_true (g_file_test (renamed, G_FILE_TEST_IS_DIR));

  select_only (remote, "Summer 2026");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.delete", NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_default_response (dialog), ==, "cancel");
  respond (dialog, "delete");
  g_assert_true (pas_test_ui_wait_until (file_missing, renamed, 20));
  /* The list reloads once the server has answered. */
  g_assert_true (pas_test_ui_wait_until (gone_from_pane, &(Shown) { remote, "Summer 2026" }, 20));
}

static gboolean
mode_is (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && (st.st_mode & 07777) == 0640;
}

void
test_properties_chmod (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *path = g_build_filename (remote_root, "readme.md", NULL);
  PasPropertiesDialog *props;
  PasAlert *dialog;
  GtkWidget *octal, *group_read;

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  pas_file_pane_reload (remote);
  select_only (remote, "readme.md");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.properties", NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_body (dialog), ==, "readme.md");
  props = PAS_PROPERTIES_DIALOG (pas_alert_get_extra_child (dialog));
  g_assert_cmpuint (pas_properties_dialog_get_mode (props), ==, 0644);
  octal = pas_test_ui_find_named (GTK_WIDGET (props), "octal");
  g_assert_nonnull (octal);
  /* Not an octal mode: marked, and Apply cannot be pressed. */
  gtk_editable_set_text (GTK_EDITABLE (octal), "0989");
  g_assert_true (gtk_widget_has_css_class (octal, "error"));
  g_assert_false (pas_alert_get_response_enabled (dialog, "apply"));
  /* A box clicked then: the entry holds a mode again, and Apply is back. */
  group_read = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (props), PAS_TYPE_PROPERTIES_DIALOG, "bit3"));
  g_assert_nonnull (group_read);
  g_assert_true (gtk_widget_activate (group_read));
  g_assert_false (gtk_widget_has_css_class (octal, "error"));
  g_assert_true (pas_alert_get_response_enabled (dialog, "apply"));
  /* setuid, setgid and sticky typed are kept (there is no box for them). */
  gtk_editable_set_text (GTK_EDITABLE (octal), "4755");
  g_assert_cmpuint (pas_properties_dialog_get_mode (props), ==, 04755);
  /* A mode typed: the check boxes follow. */
  gtk_editable_set_text (GTK_EDITABLE (octal), "0600");
  g_assert_false (gtk_widget_has_css_class (octal, "error"));
  g_assert_true (pas_alert_get_response_enabled (dialog, "apply"));
  g_assert_cmpuint (pas_properties_dialog_get_mode (props), ==, 0600);
  /* Group gets read back with a click on its box; the entry follows. */
  g_assert_true (gtk_widget_activate (group_read));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (octal)), ==, "0640");
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "properties-dialog"));
  respond (dialog, "apply");
  g_assert_true (pas_test_ui_wait_until (mode_is, path, 20));

  /* A link: chmod would change its target, so its boxes cannot be used and
   * the dialog says why. */
  {
    g_autofree char *link = g_build_filename (remote_root, "readme-link.md", NULL);
    GtkWidget *bit;

    g_assert_cmpint (symlink ("readme.md", link), ==, 0);
    pas_file_pane_reload (remote);
    select_only (remote, "readme-link.md");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "browser.properties", NULL));
    dialog = wait_for_dialog ();
    props = PAS_PROPERTIES_DIALOG (pas_alert_get_extra_child (dialog));
    octal = pas_test_ui_find_named (GTK_WIDGET (props), "octal");
    bit = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (props), PAS_TYPE_PROPERTIES_DIALOG, "bit0"));
    g_assert_false (gtk_widget_is_sensitive (octal));
    g_assert_false (gtk_widget_is_sensitive (bit));
    g_assert_false (pas_alert_get_response_enabled (dialog, "apply"));
    g_assert_nonnull (strstr (pas_test_ui_template_label (GTK_WIDGET (props), PAS_TYPE_PROPERTIES_DIALOG,
                                                          "permissions_note"), "target"));
    g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "properties-dialog-link"));
    respond (dialog, "cancel");
    g_assert_cmpint (g_unlink (link), ==, 0);
    pas_file_pane_reload (remote);
  }
}

static gboolean
readme_size_is_15 (gpointer data)
{
  GListModel *model = pas_file_pane_get_model (data);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (model, i);

      if (g_strcmp0 (g_file_info_get_name (info), "readme.md") == 0)
        return g_file_info_get_size (info) == 15;
    }
  return FALSE;
}

void
test_open_remote_file (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *server_copy = g_build_filename (remote_root, "readme.md", NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "passerelle", "open", NULL);
  g_autofree char *local_copy = NULL;
  g_autofree char *contents = NULL;
  PasAlert *dialog;

  /* Enter on a remote file: a private local copy, opened in its application
   * (there is none here: that failure is a toast, not a crash). */
  select_only (remote, "readme.md");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.open", NULL));
  assert_queue_all_done ();
  {
    g_autoptr(GDir) dir = g_dir_open (cache, 0, NULL);
    const char *sub;

    g_assert_nonnull (dir);
    while ((sub = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *candidate = g_build_filename (cache, sub, "readme.md", NULL);
        if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
          local_copy = g_steal_pointer (&candidate);
      }
  }
  g_assert_nonnull (local_copy);
  contents = read_file (local_copy);
  g_assert_cmpstr (contents, ==, "# Demo\n");
  pas_test_ui_iterate (300);

  /* Saved in the application: asked, then uploaded over the server's file. */
  g_assert_true (g_file_set_contents (local_copy, "# Demo, edited\n", -1, NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Upload Changes?");
  g_assert_nonnull (strstr (pas_alert_get_body (dialog), "readme.md"));
  respond (dialog, "upload");
  assert_queue_all_done ();
  g_clear_pointer (&contents, g_free);
  contents = read_file (server_copy);
  g_assert_cmpstr (contents, ==, "# Demo, edited\n");
  /* And the list shows the new size. */
  {
    Shown shown = { remote, "readme.md" };
    g_assert_true (pas_test_ui_wait_until (shown_in_pane, &shown, 20));
    g_assert_true (pas_test_ui_wait_until (readme_size_is_15, remote, 20));
  }
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
}

/* A click on an empty folder's page makes that pane the active one (its
 * actions apply, F5 copies from it): nothing there takes the focus. */
void
test_click_activates_pane (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *empty = g_build_filename (local_root, "nothing-here", NULL);

  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);
  pas_file_pane_set_location (local, empty);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  pas_file_pane_focus_list (remote);
  pas_test_ui_iterate (100);
  g_assert_true (pas_browser_get_active_pane (browser) == remote);
  pas_test_ui_click ("Passerelle", GTK_WIDGET (local), gtk_widget_get_width (GTK_WIDGET (local)) / 2.0,
                     gtk_widget_get_height (GTK_WIDGET (local)) * 0.6);
  g_assert_true (pas_browser_get_active_pane (browser) == local);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (local), "active-pane"));
  /* And back, below the remote pane's last row: active, and nothing
   * selected by the click (F5 must not copy a row nobody chose). */
  gtk_selection_model_unselect_all (gtk_column_view_get_model (GTK_COLUMN_VIEW (find_descendant (GTK_WIDGET (remote),
                                                                                               GTK_TYPE_COLUMN_VIEW))));
  pas_test_ui_click ("Passerelle", GTK_WIDGET (remote), gtk_widget_get_width (GTK_WIDGET (remote)) / 2.0,
                     gtk_widget_get_height (GTK_WIDGET (remote)) * 0.8);
  g_assert_true (pas_browser_get_active_pane (browser) == remote);
  {
    g_autoptr(GPtrArray) selected = pas_file_pane_get_selected (remote);
    g_assert_cmpuint (selected->len, ==, 0);
  }
  pas_file_pane_set_location (local, local_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  g_rmdir (empty);
}

static gboolean
command_done (gpointer data)
{
  return pas_command_dialog_is_done (data);
}

static char *
view_text (GtkWidget *dialog,
           guint      n)
{
  GtkWidget *view = find_nth (dialog, GTK_TYPE_TEXT_VIEW, &n);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_nonnull (view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The status line: the one selectable label. */
static const char *
status_of (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = status_of (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *dialog;
  const char *text;
} OutputWanted;

static gboolean
output_shows (gpointer data)
{
  OutputWanted *wanted = data;
  g_autofree char *out = view_text (wanted->dialog, 0);

  return strstr (out, wanted->text) != NULL;
}

/* Whether the test's remote "sleep 317" runs (the server is this machine). */
static gboolean
sleeping (gpointer data)
{
  const char *argv[] = { "pgrep", "-f", "^sleep 317$", NULL };
  int status = -1;

  g_assert_true (pas_test_run (argv, NULL, NULL, NULL, &status, NULL));
  return status == 0;
}

static gboolean
not_sleeping (gpointer data)
{
  return !sleeping (data);
}

/* The command ended, or sshd said why it would not signal it. */
static gboolean
signal_handled (gpointer data)
{
  g_autofree char *log = pas_test_sshd_read_log (sshd);

  return !sleeping (data) || strstr (log, "session_signal_req") != NULL;
}

/* Run a Command as a person uses it: the command typed into the entry and
 * Enter; both streams and the exit status shown; output that streams in
 * while the command runs; Stop; Up for the last command; Escape closes. */
void
test_run_command (void)
{
  g_autofree char *made = g_build_filename (remote_root, "made-by-command", NULL);
  g_autofree char *command = g_strdup_printf ("echo bonjour from $(whoami); echo erreur >&2; touch '%s'; exit 3",
                                              made);
  GtkWidget *dialog;
  GtkWidget *entry;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *title = NULL;
  guint n = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-command", NULL));
  dialog = GTK_WIDGET (pas_test_ui_find_window (PAS_TYPE_COMMAND_DIALOG));
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (dialog);
  title = g_strdup (gtk_window_get_title (GTK_WINDOW (dialog)));
  entry = find_nth (dialog, GTK_TYPE_ENTRY, &n);
  g_assert_nonnull (entry);

  /* Typed, then Enter (what Enter does in the entry's text). */
  gtk_editable_set_text (GTK_EDITABLE (entry), command);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (entry)), "activate");
  g_assert_true (pas_test_ui_wait_until (command_done, dialog, 30));
  out = view_text (dialog, 0);
  err = view_text (dialog, 1);
  g_assert_true (g_str_has_prefix (out, "bonjour from "));
  g_assert_cmpstr (err, ==, "erreur\n");
  g_assert_cmpstr (status_of (dialog), ==, "Exit status 3");
  g_assert_true (g_file_test (made, G_FILE_TEST_IS_REGULAR));
  /* The entry keeps what was run. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, command);
  pas_test_ui_iterate (200);
  g_free (pas_test_ui_screenshot (dialog, "run-command-dialog"));

  /* The output streams: the first line shows while the command still runs. */
  {
    OutputWanted first = { dialog, "first\n" };
    g_autofree char *all = NULL;

    gtk_editable_set_text (GTK_EDITABLE (entry), "echo first; sleep 2; echo second");
    g_signal_emit_by_name (pas_test_ui_find_button (dialog, "_Run"), "clicked");
    g_assert_true (pas_test_ui_wait_until (output_shows, &first, 10));
    g_assert_false (pas_command_dialog_is_done (PAS_COMMAND_DIALOG (dialog)));
    g_assert_cmpstr (status_of (dialog), ==, "Running…");
    g_assert_true (pas_test_ui_wait_until (command_done, dialog, 30));
    all = view_text (dialog, 0);
    g_assert_cmpstr (all, ==, "first\nsecond\n");
    g_assert_cmpstr (status_of (dialog), ==, "Exit status 0");
  }

  /* Stop: answered at once, the dialog ready for the next command, and the
   * command itself ended on the server (sshd delivers a TERM). */
  gtk_editable_set_text (GTK_EDITABLE (entry), "sleep 317");
  g_signal_emit_by_name (pas_test_ui_find_button (dialog, "_Run"), "clicked");
  g_assert_true (pas_test_ui_wait_until (sleeping, NULL, 10));
  g_assert_true (gtk_widget_get_visible (pas_test_ui_find_button (dialog, "_Stop")));
  g_signal_emit_by_name (pas_test_ui_find_button (dialog, "_Stop"), "clicked");
  g_assert_true (pas_test_ui_wait_until (command_done, dialog, 5));
  g_assert_cmpstr (status_of (dialog), ==, "Stopped");
  g_assert_true (gtk_widget_get_visible (pas_test_ui_find_button (dialog, "_Run")));
  {
    /* The command ends: sshd delivers the "signal" request to its process
     * group (OpenSSH 10's sshd-session does, here too). OpenSSH 9.2's sshd
     * running as a plain user, without privilege separation, refuses and
     * says so in its log — then we end it here. */
    const char *pkill[] = { "pkill", "-f", "^sleep 317$", NULL };

    g_assert_true (pas_test_ui_wait_until (signal_handled, NULL, 10));
    if (sleeping (NULL))
      {
        g_autofree char *log = pas_test_sshd_read_log (sshd);

        g_assert_nonnull (strstr (log, "session_signal_req: session signalling requires privilege separation"));
        g_assert_true (pas_test_run (pkill, NULL, NULL, NULL, NULL, NULL));
        g_assert_true (pas_test_ui_wait_until (not_sleeping, NULL, 10));
      }
  }

  /* The keyboard: the entry still holds the last command, so Up brings the
   * one before, and the one before that; Down comes back; Escape closes. */
  gtk_widget_grab_focus (entry);
  pas_test_ui_press_keys (title, "Up");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "echo first; sleep 2; echo second");
  pas_test_ui_press_keys (title, "Up");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, command);
  pas_test_ui_press_keys (title, "Down");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "echo first; sleep 2; echo second");
  pas_test_ui_press_keys (title, "Escape");
  g_assert_null (pas_test_ui_find_window (PAS_TYPE_COMMAND_DIALOG));
  g_unlink (made);

  /* A new dialog for the same server remembers (read back from disk). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-command", NULL));
  dialog = GTK_WIDGET (pas_test_ui_find_window (PAS_TYPE_COMMAND_DIALOG));
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (dialog);
  n = 0;
  {
    GtkWidget *history = find_nth (dialog, GTK_TYPE_MENU_BUTTON, &n);

    g_assert_true (pas_test_ui_wait_until ((PasTestUiCondition) gtk_widget_get_sensitive, history, 10));
  }
  n = 0;
  entry = find_nth (dialog, GTK_TYPE_ENTRY, &n);
  gtk_widget_grab_focus (entry);
  pas_test_ui_press_keys (title, "Up");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "sleep 317");
  gtk_window_close (GTK_WINDOW (dialog));
  pas_test_ui_iterate (100);
}

static gboolean
gone_from_local (gpointer data)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);

  return !pas_file_pane_is_loading (local) && !model_has (local, "delete-me.txt");
}

/* Preferences reach the open tabs: hidden files, deleting without asking,
 * and the conflict policy of new transfers. */
void
test_preferences_apply (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *victim = g_build_filename (local_root, "delete-me.txt", NULL);
  g_autofree char *existing = g_build_filename (remote_root, "report.txt", NULL);
  g_autofree char *third = NULL;

  g_settings_set_boolean (settings, "show-hidden", TRUE);
  pas_file_pane_set_location (remote, remote_root);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  select_only (remote, "docs");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.open", NULL));
  wait_shown (remote, ".secret");
  g_settings_set_boolean (settings, "show-hidden", FALSE);
  g_assert_false (model_has (remote, ".secret"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.up", NULL));
  if (!pas_test_ui_wait_until (pane_loaded, remote, 20))
    {
      /* Seen once under ASan in CI (2026-12-05), not reproduced: say where
       * the remote listing stands. */
      GListModel *directory = remote->directory;
      g_autofree char *state = PAS_IS_REMOTE_DIRECTORY (directory)
                                 ? pas_remote_directory_describe (PAS_REMOTE_DIRECTORY (directory))
                                 : g_strdup ("no remote listing");

      g_error ("after 20 s %s is still loading: the sorted list is %s, it shows “%s”; the listing: %s",
               pas_file_pane_get_location (remote),
               pas_file_list_is_busy (PAS_FILE_LIST (pas_file_pane_get_model (remote))) ? "busy" : "idle",
               pas_test_ui_template_label (GTK_WIDGET (remote), PAS_TYPE_FILE_PANE, "status_label"), state);
    }
  {
    g_autofree char *state = pas_remote_directory_describe (PAS_REMOTE_DIRECTORY (remote->directory));
    g_test_message ("after Up: %s", state);
  }

  /* No confirmation asked: straight to the trash. */
  g_settings_set_boolean (settings, "confirm-delete", FALSE);
  g_assert_true (g_file_set_contents (victim, "bye", -1, NULL));
  pas_file_pane_set_location (local, local_root);
  select_only (local, "delete-me.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.delete", NULL));
  g_assert_true (pas_test_ui_wait_until (file_missing, victim, 20));
  g_assert_null (pas_test_ui_find_widget (PAS_TYPE_ALERT));
  /* The list reloads once the trash has it (selections there end). */
  g_assert_true (pas_test_ui_wait_until (gone_from_local, NULL, 20));
  g_settings_reset (settings, "confirm-delete");

  /* "Keep both" as the policy: no question, another copy, under the first
   * free name ("report (3).txt" after the earlier cases). */
  if (!g_file_test (existing, G_FILE_TEST_IS_REGULAR))
    g_assert_true (g_file_set_contents (existing, "Quarterly report\n", -1, NULL));
  for (guint n = 2; third == NULL; n++)
    {
      g_autofree char *name = g_strdup_printf ("report (%u).txt", n);
      g_autofree char *path = g_build_filename (remote_root, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        third = g_steal_pointer (&path);
    }
  g_settings_set_string (settings, "conflict-policy", "rename");
  select_only (local, "report.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (local), "browser.upload", NULL));
  assert_queue_all_done ();
  g_assert_true (pas_test_ui_wait_until (file_exists, third, 30));
  g_assert_null (pas_test_ui_find_widget (PAS_TYPE_ALERT));
  g_settings_reset (settings, "conflict-policy");
  g_settings_reset (settings, "show-hidden");
  pas_transfer_queue_clear_finished (pas_application_get_queue (app));
}
