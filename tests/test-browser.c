/* The two-pane window against a real OpenSSH sshd under Xvfb: connect from
 * an sftp:// argument, the host-key dialog for a new server, browsing,
 * folder operations, uploads and downloads through the window's actions, a
 * desktop drop on the remote pane, and a dropped connection. Everything is
 * checked on disk (the server is on this machine), and screenshots of the
 * window, the host-key dialog and the transfer panel land in the build
 * directory. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <utime.h>
#include <pwd.h>
#include <string.h>
#include <glib/gstdio.h>

#include "pas-alert.h"
#include "pas-application.h"
#include "pas-browser-private.h"
#include "pas-file-pane-private.h"
#include "pas-cell-text.h"
#include "pas-command-dialog.h"
#include "pas-file-list.h"
#include "pas-fingerprint.h"
#include "pas-keyring.h"
#include "pas-properties-dialog.h"
#include "pas-session-editor.h"
#include "pas-sessions-dialog.h"
#include "pas-stall-probe.h"
#include "pas-sync-dialog.h"
#include "pas-window.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"
#include "pas-test-ui.h"

static PasApplication *app;
static PasTestSshd *sshd;
static char *remote_root;     /* a folder on the server, also reachable on disk */
static char *local_root;      /* the local side's folder */
static char *known_hosts;     /* starts empty: the first connection asks */
static PasWindow *window;
static PasBrowser *browser;

/* The desktop's notification service, as far as a test needs it: it
 * records what it is asked to show. */
static GPtrArray *notifications;   /* of char*: summaries */
static GDBusConnection *notification_bus;

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_strcmp0 (method_name, "Notify") == 0)
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notifications, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", (const char *[]) { "body", NULL }));
  else if (g_strcmp0 (method_name, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "passerelle", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_service (void)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.Notifications'>"
    "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
    "<arg type='u' direction='out'/></method>"
    "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
    "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
    "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  {
    guint32 result = 0;
    g_variant_get (reply, "(u)", &result);
    g_assert_cmpuint (result, ==, 1);   /* primary owner */
  }
  /* Kept: the last reference going would close the connection and drop the name. */
  notification_bus = bus;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return pas_test_ui_find_widget (PAS_TYPE_ALERT) != NULL;
}

static PasAlert *
wait_for_dialog (void)
{
  PasAlert *dialog;

  g_assert_true (pas_test_ui_wait_until (dialog_shown, NULL, 20));
  dialog = pas_test_ui_find_widget (PAS_TYPE_ALERT);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));
  return dialog;
}

/* What a label, or a file list's cell, shows; NULL for other widgets. */
static const char *
text_of (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (PAS_IS_CELL_TEXT (widget))
    return pas_cell_text_get_text (PAS_CELL_TEXT (widget));
  return NULL;
}

/* A label under @widget showing exactly @text (what a person reads). */
static gboolean
is_label_saying (GtkWidget    *widget,
                 gconstpointer text)
{
  return text_of (widget) != NULL && gtk_widget_get_mapped (widget) && g_strcmp0 (text_of (widget), text) == 0;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  return pas_test_ui_find (widget, is_label_saying, text);
}

static gboolean
is_label_containing (GtkWidget    *widget,
                     gconstpointer text)
{
  return text_of (widget) != NULL && gtk_widget_get_mapped (widget) && strstr (text_of (widget), text) != NULL;
}

static gboolean
label_containing (GtkWidget  *widget,
                  const char *text)
{
  return pas_test_ui_find (widget, is_label_containing, text) != NULL;
}

/* Somewhere in the window (a toast, a banner), as a person reads it. */
static gboolean
window_says (gpointer text)
{
  return label_containing (GTK_WIDGET (window), text);
}

static gboolean
window_lacks (gpointer text)
{
  return !label_containing (GTK_WIDGET (window), text);
}

static gboolean
panel_shows (gpointer text)
{
  return find_label (GTK_WIDGET (pas_window_get_transfer_panel (window)), text) != NULL;
}

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
is_of_type (GtkWidget    *widget,
            gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, (GType) GPOINTER_TO_SIZE (type));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return pas_test_ui_find (widget, is_of_type, GSIZE_TO_POINTER (type));
}

static GtkColumnView *
find_column_view (GtkWidget *widget)
{
  return (GtkColumnView *) find_descendant (widget, GTK_TYPE_COLUMN_VIEW);
}

/* Clicks the dialog's button for @response, as a person would. */
static void
respond (PasAlert   *dialog,
         const char *response)
{
  GtkWidget *button;

  g_assert_true (pas_alert_has_response (dialog, response));
  button = pas_test_ui_find_button (GTK_WIDGET (dialog), pas_alert_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (button, "clicked");
  /* Gone, as after a real click (an AdwAlertDialog animates out first). */
  g_assert_true (pas_test_ui_wait_until (pointer_is_null, &dialog, 5));
}

/* The fingerprint widgets under @widget, in the order shown. */
static void
collect_fingerprints (GtkWidget *widget,
                      GPtrArray *found)
{
  if (PAS_IS_FINGERPRINT (widget))
    {
      g_ptr_array_add (found, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_fingerprints (child, found);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* Whole on screen: the label shown gets at least the width it needs (a
 * fingerprint is never cut or scrolled). */
static void
assert_shown_whole (GtkWidget *fingerprint)
{
  gboolean one_shown = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (fingerprint); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && gtk_widget_get_child_visible (child))
      {
        int natural = 0;

        gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
        g_assert_cmpint (gtk_widget_get_width (child), >=, natural);
        g_assert_false (one_shown);
        one_shown = TRUE;
      }
  g_assert_true (one_shown);
}

/* Presses the Copy button of @fingerprint and reads the clipboard back. */
static char *
copy_fingerprint (GtkWidget *fingerprint)
{
  GtkWidget *button = find_descendant (fingerprint, GTK_TYPE_BUTTON);
  char *text = NULL;

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (fingerprint), NULL, read_text_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

/* What ssh-keygen -l says a public key's SHA256 fingerprint is. */
static char *
keygen_fingerprint (const char *pub)
{
  const char *argv[] = { "ssh-keygen", "-l", "-E", "sha256", "-f", pub, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;
  int status = -1;

  g_assert_true (pas_test_run (argv, NULL, &out, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  fields = g_strsplit (out, " ", 3);
  return g_strdup (fields[1]);
}

static gboolean
browser_in_state (gpointer data)
{
  return pas_browser_get_state (browser) == (PasBrowserState) GPOINTER_TO_INT (data);
}

static gboolean
pane_loaded (gpointer data)
{
  return !pas_file_pane_is_loading (data);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
file_missing (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
model_has (PasFilePane *pane,
           const char  *name)
{
  GListModel *model = pas_file_pane_get_model (pane);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (model, i);

      if (g_strcmp0 (g_file_info_get_name (info), name) == 0)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  PasFilePane *pane;
  const char  *name;
} Shown;

static gboolean
shown_in_pane (gpointer data)
{
  Shown *shown = data;

  return !pas_file_pane_is_loading (shown->pane) && model_has (shown->pane, shown->name);
}

static gboolean
gone_from_pane (gpointer data)
{
  Shown *shown = data;

  return !pas_file_pane_is_loading (shown->pane) && !model_has (shown->pane, shown->name);
}

static void
wait_shown (PasFilePane *pane,
            const char  *name)
{
  Shown shown = { pane, name };

  if (!pas_test_ui_wait_until (shown_in_pane, &shown, 20))
    {
      /* Say what the pane shows instead, for the log. */
      GListModel *model = pas_file_pane_get_model (pane);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(GFileInfo) info = g_list_model_get_item (model, i);
          g_string_append_printf (names, " \"%s\"", g_file_info_get_name (info));
        }
      /* Which part still says "loading": the sorted list, or the listing
       * (seen twice under ASan in CI, not reproduced). */
      g_autofree char *listing = PAS_IS_REMOTE_DIRECTORY (pane->directory)
                                   ? pas_remote_directory_describe (PAS_REMOTE_DIRECTORY (pane->directory))
                                   : g_strdup ("a local listing");

      g_error ("\"%s\" never showed in %s (loading: %d, sorted list %s, listing: %s, browser state %d, items:%s)",
               name, pas_file_pane_get_location (pane), pas_file_pane_is_loading (pane),
               pas_file_list_is_busy (PAS_FILE_LIST (model)) ? "busy" : "idle", listing,
               pas_browser_get_state (browser), names->str);
    }
}

static void
select_only (PasFilePane *pane,
             const char  *name)
{
  g_autoptr(GPtrArray) selected = NULL;

  wait_shown (pane, name);
  pas_file_pane_select_name (pane, name);
  selected = pas_file_pane_get_selected (pane);
  g_assert_cmpuint (selected->len, ==, 1);
  g_assert_cmpstr (g_file_info_get_name (g_ptr_array_index (selected, 0)), ==, name);
  /* Actions act on the pane that has the focus, as the keyboard would. */
  pas_file_pane_focus_list (pane);
  pas_test_ui_iterate (50);
  g_assert_true (pas_browser_get_active_pane (browser) == pane);
}

static char *
read_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&contents);
}

static gboolean
queue_idle (gpointer data)
{
  GListModel *queue = G_LIST_MODEL (pas_application_get_queue (app));

  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (queue, i);
      PasTransferState state = pas_transfer_get_state (t);

      if (state == PAS_TRANSFER_QUEUED || state == PAS_TRANSFER_RUNNING)
        return FALSE;
    }
  return TRUE;
}

static void
assert_queue_all_done (void)
{
  GListModel *queue = G_LIST_MODEL (pas_application_get_queue (app));

  g_assert_true (pas_test_ui_wait_until (queue_idle, NULL, 60));
  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (queue, i);

      if (pas_transfer_get_error (t) != NULL)
        g_test_message ("transfer failed: %s", pas_transfer_get_error (t)->message);
      g_assert_cmpint (pas_transfer_get_state (t), ==, PAS_TRANSFER_DONE);
    }
}

/* ---- the tests, in order: each starts where the one before stopped ------- */

static void
test_connect_and_host_key (void)
{
  g_autofree char *uri = pas_test_sshd_get_uri (sshd, NULL, remote_root);
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autofree char *fingerprint_line = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GPtrArray) fingerprints = g_ptr_array_new ();
  PasAlert *dialog;
  GtkWidget *extra;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  window = PAS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, 1);
  browser = pas_window_get_browser (window, 0);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (window));

  /* A server never seen: the host-key dialog, with the SHA256 fingerprint. */
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Unknown Server");
  g_assert_true (pas_alert_has_response (dialog, "save"));
  g_assert_true (pas_alert_has_response (dialog, "once"));
  g_assert_cmpstr (pas_alert_get_default_response (dialog), ==, "cancel");
  extra = pas_alert_get_extra_child (dialog);
  g_assert_nonnull (extra);
  collect_fingerprints (extra, fingerprints);
  g_assert_cmpuint (fingerprints->len, ==, 1);
  fingerprint_line = g_strdup (pas_fingerprint_get_text (g_ptr_array_index (fingerprints, 0)));
  g_assert_true (g_str_has_prefix (fingerprint_line, "SHA256:"));
  /* Byte for byte what ssh-keygen -l says of the server's key, on one line
   * (a wrapped fingerprint got hyphens that are not in it), and the same
   * from its Copy button. */
  {
    g_autofree char *pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
    g_autofree char *expected = keygen_fingerprint (pub);
    g_autofree char *copied = copy_fingerprint (g_ptr_array_index (fingerprints, 0));
    GtkWidget *label = find_descendant (g_ptr_array_index (fingerprints, 0), GTK_TYPE_LABEL);

    g_assert_cmpstr (fingerprint_line, ==, expected);
    g_assert_cmpstr (copied, ==, expected);
    g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (label))), ==, 1);
    assert_shown_whole (g_ptr_array_index (fingerprints, 0));
  }
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "host-key-dialog"));
  respond (dialog, "save");

  g_assert_true (pas_test_ui_wait_until (browser_in_state, GINT_TO_POINTER (PAS_BROWSER_CONNECTED), 20));
  /* Remembered the OpenSSH way: one line for [127.0.0.1]:PORT. */
  saved = read_file (known_hosts);
  {
    g_autofree char *host = g_strdup_printf ("[127.0.0.1]:%u ", pas_test_sshd_get_port (sshd));
    g_assert_nonnull (strstr (saved, host));
  }
  g_assert_cmpstr (pas_file_pane_get_location (pas_browser_get_remote_pane (browser)), ==, remote_root);
  wait_shown (pas_browser_get_remote_pane (browser), "docs");
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "127.0.0.1"));
  /* Keyboard users start in the remote list (the accent line under the
   * path entry marks the active side; it is not the focus). */
  pas_test_ui_iterate (600);
  {
    GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));
    GtkWidget *list = focus;

    while (list != NULL && !GTK_IS_COLUMN_VIEW (list))
      list = gtk_widget_get_parent (list);
    g_assert_nonnull (list);
    g_assert_true (gtk_widget_is_ancestor (list, GTK_WIDGET (pas_browser_get_remote_pane (browser))));
  }
}

static void
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

static GtkWidget *find_cell (GtkWidget *widget, const char *name);
static GtkWidget *focusable_row_of (PasFilePane *pane, const char *name);

/* The X window a dialog's keys go to: its own (libadwaita 1.2's
 * AdwMessageDialog, titled with its heading) or the main window's (1.6's
 * AdwAlertDialog lives inside it). */
static const char *
alert_window_title (const char *heading)
{
  return g_type_is_a (PAS_TYPE_ALERT, GTK_TYPE_WINDOW) ? heading : "Passerelle";
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
static void
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

/* Connected and left alone, the window sleeps: its main thread wakes for the
 * test's own timer and little else, the connection's thread not at all
 * (keepalives aside). A hidden spinner used to keep the frame clock ticking
 * (about 300 wake-ups a second), and the SFTP watchdog woke the worker every
 * second per channel with nothing to watch. */
/* Waits (up to 10 s) until a second passes with at most 2 main-loop
 * iterations: work the earlier tests left (a listing freed in a thread, a
 * late reply) may take a few seconds on a loaded machine, and is not the
 * measured work's. */
static void
settle (PasStallProbe *probe)
{
  for (guint tries = 0; tries < 10; tries++)
    {
      pas_stall_probe_reset (probe);
      pas_test_ui_iterate (1000);
      if (pas_stall_probe_get_iterations (probe) <= 2)
        break;
    }
}

static void
test_idle_window_sleeps (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autoptr(PasStallProbe) probe = pas_stall_probe_new (NULL, 16, FALSE);
  guint64 main_woke, worker_woke;

  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  /* A timer that keeps ticking never settles, and fails below. */
  settle (probe);
  main_woke = pas_test_ui_count_switches (NULL);
  worker_woke = pas_test_ui_count_switches ("pas-connection");
  pas_stall_probe_reset (probe);
  pas_test_ui_iterate (5000);
  main_woke = pas_test_ui_count_switches (NULL) - main_woke;
  worker_woke = pas_test_ui_count_switches ("pas-connection") - worker_woke;
  g_test_message ("idle for 5 s: main thread woke %" G_GUINT64_FORMAT " times (%" G_GUINT64_FORMAT
                  " main-loop iterations, longest %" G_GINT64_FORMAT " µs), connection threads %" G_GUINT64_FORMAT,
                  main_woke, pas_stall_probe_get_iterations (probe), pas_stall_probe_get_longest (probe), worker_woke);
  g_assert_cmpuint (main_woke, <, 25);
  g_assert_cmpuint (worker_woke, <, 3);
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
static void
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

static void
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

static void
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

/* The cell widget showing @name (cells carry their item for drops). */
static gboolean
is_cell_of (GtkWidget    *widget,
            gconstpointer name)
{
  GFileInfo *info = g_object_get_data (G_OBJECT (widget), "pas-info");

  return info != NULL && g_strcmp0 (g_file_info_get_name (info), name) == 0;
}

static GtkWidget *
find_cell (GtkWidget  *widget,
           const char *name)
{
  return pas_test_ui_find (widget, is_cell_of, name);
}

/* The row widget showing @name that takes the focus, as Tab or an arrow
 * key gives it. */
static GtkWidget *
focusable_row_of (PasFilePane *pane,
                  const char  *name)
{
  GtkWidget *row;

  for (row = find_cell (GTK_WIDGET (pane), name); row != NULL && !gtk_widget_get_focusable (row);
       row = gtk_widget_get_parent (row))
    ;
  g_assert_nonnull (row);
  return row;
}

static void
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

static void
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
mode_is (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && (st.st_mode & 07777) == 0640;
}

static void
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
  /* A mode typed: the check boxes follow, and Apply is back. */
  gtk_editable_set_text (GTK_EDITABLE (octal), "0600");
  g_assert_false (gtk_widget_has_css_class (octal, "error"));
  g_assert_true (pas_alert_get_response_enabled (dialog, "apply"));
  g_assert_cmpuint (pas_properties_dialog_get_mode (props), ==, 0600);
  /* Group gets read back with a click on its box; the entry follows. */
  group_read = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (props), PAS_TYPE_PROPERTIES_DIALOG, "bit3"));
  g_assert_nonnull (group_read);
  g_assert_true (gtk_widget_activate (group_read));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (octal)), ==, "0640");
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "properties-dialog"));
  respond (dialog, "apply");
  g_assert_true (pas_test_ui_wait_until (mode_is, path, 20));
}

/* Every log line of the process, debug included, while capturing (the
 * connection threads log too: hence the lock). */
static GString *captured_log;
static GMutex captured_lock;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&captured_lock);
  if (captured_log != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
          {
            /* A text field ends at its first NUL even when its length says more
             * (GTK 4.18 counts the NUL), or strstr() would stop there. */
            g_string_append_len (captured_log, fields[i].value,
                                 fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                      : (gssize) strnlen (fields[i].value, fields[i].length));
            g_string_append_c (captured_log, ' ');
          }
      g_string_append_c (captured_log, '\n');
      /* Debug output is only looked at, not printed. */
      if ((level & G_LOG_LEVEL_DEBUG) != 0)
        {
          g_mutex_unlock (&captured_lock);
          return G_LOG_WRITER_HANDLED;
        }
    }
  g_mutex_unlock (&captured_lock);
  return g_log_writer_default (level, fields, n_fields, user_data);
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

/* Waits for @tab (not the fixture's browser) to connect. */
static void
wait_tab_connected (PasBrowser *tab)
{
  PasBrowser *saved = browser;

  browser = tab;
  g_assert_true (pas_test_ui_wait_until (browser_in_state, GINT_TO_POINTER (PAS_BROWSER_CONNECTED), 30));
  browser = saved;
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

/* Disconnects the current tab's server (as its menu does: every tab on it
 * shows Disconnected) and closes the tab: the next tab logs in again. */
static void
disconnect_and_close_tab (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  pas_test_ui_iterate (100);
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

static void
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
static void
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

static void
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

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
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

static void
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

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
browser_folded (gpointer data)
{
  return pas_browser_is_folded (browser) == GPOINTER_TO_INT (data);
}

static void
resize_window (int width,
               int height)
{
  /* The default size counts the client-side shadow; the window's content
   * is a few pixels narrower. */
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  for (int i = 0; i < 100 && ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width) > 24; i++)
    pas_test_ui_iterate (50);
  pas_test_ui_iterate (200);
  g_test_message ("window %d px wide for %d", gtk_widget_get_width (GTK_WIDGET (window)), width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, width - 24);
}

/* A narrow window: one pane at a time with a switcher under it, at 360 px
 * as GNOME apps aim for; both panes side by side again when it is wide. */
static void
test_narrow_window (void)
{
  PasFilePane *local = pas_browser_get_local_pane (browser);
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  GtkWidget *this_computer = pas_test_ui_find_button (GTK_WIDGET (browser), "_This Computer");
  GtkWidget *server = pas_test_ui_find_button (GTK_WIDGET (browser), "_Server");
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_nonnull (this_computer);
  g_assert_nonnull (server);
  resize_window (1280, height);
  g_assert_false (pas_browser_is_folded (browser));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (local)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (remote)));
  g_assert_false (gtk_widget_get_mapped (server));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-1280"));

  /* 360 px: the pane in use stays (the remote one), the other is a click
   * away; nothing asks for more width than the window has. */
  pas_file_pane_focus_list (remote);
  resize_window (360, height);
  g_assert_true (pas_test_ui_wait_until (browser_folded, GINT_TO_POINTER (TRUE), 5));
  pas_test_ui_iterate (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (remote)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (local)));
  g_assert_true (gtk_widget_get_mapped (server));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (server)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (remote)), <=, 360);
  wait_shown (remote, "docs");
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-360"));

  /* The switcher by its mnemonic, from the keyboard: this computer's files,
   * focused, and the upload action applies to them. */
  pas_test_ui_press_keys ("Passerelle", "alt+t");
  g_assert_true (pas_test_ui_wait_until (widget_mapped, local, 5));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (remote)));
  g_assert_true (pas_browser_get_active_pane (browser) == local);
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-360-local"));
  g_signal_emit_by_name (server, "clicked");
  pas_test_ui_iterate (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (remote)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (local)));

  /* 700 px: side by side again, the switcher gone. */
  resize_window (700, height);
  g_assert_true (pas_test_ui_wait_until (browser_folded, GINT_TO_POINTER (FALSE), 5));
  pas_test_ui_iterate (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (local)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (remote)));
  g_assert_false (gtk_widget_get_mapped (server));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-700"));
  resize_window (width, height);
}

/* A click on an empty folder's page makes that pane the active one (its
 * actions apply, F5 copies from it): nothing there takes the focus. */
static void
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

static void
test_dark_style (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  /* For people to look at: the connected window in the dark style. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  pas_test_ui_iterate (500);
  g_assert_true (adw_style_manager_get_dark (style));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-dark"));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  pas_test_ui_iterate (200);
}

typedef struct
{
  PasFilePane *pane;
  gint64       first_rows;   /* µs, when rows first showed */
  gboolean     rows_while_loading;
} Streaming;

static void
streaming_items_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Streaming  *streaming)
{
  if (g_list_model_get_n_items (model) > 0 && streaming->first_rows == 0)
    {
      streaming->first_rows = g_get_monotonic_time ();
      streaming->rows_while_loading = pas_file_pane_is_loading (streaming->pane);
    }
}

/* The longest main-loop iteration a test accepts while the window works: a
 * frame is 16 ms; 50 ms is what the eye starts to notice as a hitch. Under
 * ASan every allocation unwinds the whole stack (fast_unwind_on_malloc=0, for
 * complete leak traces), which makes the same work several times slower;
 * its bound says only that nothing blocks for long. */
#if defined(__SANITIZE_ADDRESS__)
#define STALL_MS 400
#else
#define STALL_MS 50
#endif
/* Opening a 50,000-entry folder, remote then local: the same bound as a
 * transfer. It held the main loop for 175–356 ms while GtkSortListModel
 * sorted on it, then 67–137 ms (local) while GTK laid out ~200 new rows at a
 * time with GtkLabels that lay their text out at every measure. Now a worker
 * sorts and filters, new rows at the top come a screen per frame, and cells
 * lay out their text once: 12–24 ms measured alone with GTK 4.8. */
#if defined(__SANITIZE_ADDRESS__)
/* 4.1–5.8 s measured, in the iteration that waits for the worker's last
 * merge: ASan unwinds the whole stack at every malloc
 * (fast_unwind_on_malloc=0), and the worker making 50,000 keys seems to hold
 * the UI thread's own mallocs behind it (no such wait without ASan). */
#define FOLDER_STALL_MS 10000
#else
#define FOLDER_STALL_MS STALL_MS
#endif

typedef struct
{
  PasStallProbe *frame;   /* over 16 ms */
  PasStallProbe *fifty;   /* over 50 ms */
  PasStallProbe *stall;   /* over the limit */
  guint          limit;
} Probes;

static void
probes_start (Probes *probes,
              guint   limit)
{
  probes->frame = pas_stall_probe_new (NULL, 16, FALSE);
  probes->fifty = pas_stall_probe_new (NULL, 50, FALSE);
  probes->stall = pas_stall_probe_new (NULL, limit, FALSE);
  probes->limit = limit;
}

/* Says what was measured (docs/benchmarks.md quotes these lines) and fails
 * on any iteration over the limit. */
static void
probes_check (Probes     *probes,
              const char *what)
{
  guint stalls = pas_stall_probe_get_stalls (probes->stall);
  g_autofree char *longest = pas_stall_probe_describe_longest (probes->frame);

  g_test_message ("main loop during %s: %" G_GUINT64_FORMAT " iterations, longest %.1f ms, %u over 16 ms, "
                  "%u over 50 ms, %u over %u ms (the longest: %s)", what,
                  pas_stall_probe_get_iterations (probes->frame),
                  pas_stall_probe_get_longest (probes->frame) / 1000.0, pas_stall_probe_get_stalls (probes->frame),
                  pas_stall_probe_get_stalls (probes->fifty), stalls, probes->limit, longest);
  g_clear_pointer (&probes->frame, pas_stall_probe_free);
  g_clear_pointer (&probes->fifty, pas_stall_probe_free);
  g_clear_pointer (&probes->stall, pas_stall_probe_free);
  /* CI logs keep stderr, not the TAP messages: the failure names the case. */
  if (stalls > 0)
    g_error ("main loop stalled during %s: %u iterations over %u ms; the longest: %s",
             what, stalls, probes->limit, longest);
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

static const char *
summary (void)
{
  return pas_transfer_panel_get_summary (pas_window_get_transfer_panel (window));
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

static void
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
static void
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
static void
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

/* 2 s in a plain build here; under ASan, which unwinds the stack at every
 * allocation (fast_unwind_on_malloc=0, for whole leak traces), ~55 s. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_FOLDER_SECONDS 180
#else
#define BIG_FOLDER_SECONDS 60
#endif

static void assert_mark (PasFilePane *pane, const char *name, const char *words, const char *icon);

typedef struct
{
  PasFilePane *pane;
  const char  *text;
} StatusWanted;

static gboolean
status_is (gpointer data)
{
  StatusWanted *wanted = data;

  return g_strcmp0 (pas_file_pane_get_status_text (wanted->pane), wanted->text) == 0;
}


static void
test_big_folder_streams (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);
  g_autofree char *many = g_build_filename (remote_root, "many", NULL);
  Streaming streaming = { remote, 0, FALSE };
  Probes probes = { 0 };
  gint64 start, end;
  gulong handler;

  /* 50,000 entries: the first rows show while the rest still arrives. */
  g_assert_cmpint (g_mkdir (many, 0755), ==, 0);
  for (guint i = 0; i < 50000; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/file-%05u.dat", many, i);
      FILE *f = fopen (path, "w");
      g_assert_nonnull (f);
      fclose (f);
    }
  handler = g_signal_connect (pas_file_pane_get_model (remote), "items-changed",
                              G_CALLBACK (streaming_items_cb), &streaming);
  start = g_get_monotonic_time ();
  probes_start (&probes, FOLDER_STALL_MS);
  pas_file_pane_set_location (remote, many);
  if (!pas_test_ui_wait_until (pane_loaded, remote, BIG_FOLDER_SECONDS))
    g_error ("after %u s the pane shows %u of 50,000 entries, loading: %d", BIG_FOLDER_SECONDS,
             g_list_model_get_n_items (pas_file_pane_get_model (remote)), pas_file_pane_is_loading (remote));
  end = g_get_monotonic_time ();
  g_signal_handler_disconnect (pas_file_pane_get_model (remote), handler);
  probes_check (&probes, "the opening of a 50,000-entry folder");

  g_assert_cmpuint (g_list_model_get_n_items (pas_file_pane_get_model (remote)), ==, 50000);
  g_assert_true (streaming.rows_while_loading);
  g_test_message ("50,000 entries: first rows after %.0f ms, all after %.0f ms",
                  (streaming.first_rows - start) / 1000.0, (end - start) / 1000.0);
  /* Sorted by name, folders first: the first row is file-00000.dat… */
  {
    g_autoptr(GFileInfo) first = g_list_model_get_item (pas_file_pane_get_model (remote), 0);
    g_assert_cmpstr (g_file_info_get_name (first), ==, "file-00000.dat");
  }
  /* …and it is in view: rows merged in before the first one shown used to
   * push the top of the list out of sight. */
  pas_test_ui_iterate (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (
                       GTK_SCROLLABLE (find_column_view (GTK_WIDGET (remote))))), ==, 0.0);
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-50000-entries"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.back", NULL));
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));

  /* The same folder on the local side (GtkDirectoryList reads it in GIO's
   * threads; the same sorted list shows it). */
  {
    PasFilePane *local = pas_browser_get_local_pane (browser);
    g_autofree char *before = g_strdup (pas_file_pane_get_location (local));
    Probes local_probes = { 0 };

    probes_start (&local_probes, FOLDER_STALL_MS);
    pas_file_pane_set_location (local, many);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, local, BIG_FOLDER_SECONDS));
    probes_check (&local_probes, "the opening of the same folder on the local side");
    g_assert_cmpuint (g_list_model_get_n_items (pas_file_pane_get_model (local)), ==, 50000);

    /* Compare over both 50,000-entry listings (the same files on both
     * sides): every row marked, the window answering all along. */
    {
      Probes compare_probes = { 0 };
      StatusWanted same = { local, "50000 items — same on both sides" };
      gint64 compare_start;

      pas_file_pane_set_location (remote, many);
      g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, BIG_FOLDER_SECONDS));
      probes_start (&compare_probes, FOLDER_STALL_MS);
      compare_start = g_get_monotonic_time ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
      if (!pas_test_ui_wait_until (status_is, &same, 30))
        g_error ("Compare of 50,000 entries: the status says “%s”", pas_file_pane_get_status_text (local));
      g_test_message ("Compare of 50,000 entries: all marked after %.0f ms",
                      (g_get_monotonic_time () - compare_start) / 1000.0);
      assert_mark (remote, "file-00000.dat", "Same on both sides", "object-select-symbolic");
      assert_mark (local, "file-00000.dat", "Same on both sides", "object-select-symbolic");
      probes_check (&compare_probes, "Compare over two 50,000-entry folders");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.back", NULL));
      g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
    }
    pas_file_pane_set_location (local, before);
    g_assert_true (pas_test_ui_wait_until (pane_loaded, local, 20));
  }
  pas_test_rm_rf (many, NULL);
}

static gboolean
dialog_has_rows (gpointer data)
{
  return pas_sessions_dialog_get_n_rows (data) >= 1;
}

static gboolean
editor_tested (gpointer data)
{
  return pas_session_editor_get_test_result (data) != NULL;
}

static gboolean
window_has_tabs (gpointer data)
{
  return pas_window_get_n_servers (window) == GPOINTER_TO_UINT (data);
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

static void
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
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "name"), "Demo server");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "folder"), "Work");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "host"), "-oProxyCommand=touch /tmp/x");
  g_assert_false (editor_valid (editor));
  g_assert_nonnull (strstr (pas_session_editor_get_problem (editor), "dash"));
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "host"), "127.0.0.1");
  gtk_editable_set_text (pas_session_editor_get_entry (editor, "user"), pas_test_sshd_get_user (sshd));
  gtk_spin_button_set_value (pas_session_editor_get_port (editor), pas_test_sshd_get_port (sshd));
  adw_combo_row_set_selected (pas_session_editor_get_auth (editor), PAS_AUTH_KEY);
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
  pas_session_editor_save (editor);
  pas_test_ui_iterate (100);

  session = find_session (store, "Demo server");
  g_assert_nonnull (session);
  g_assert_cmpstr (pas_session_get_folder (session), ==, "Work");
  g_assert_cmpuint (pas_session_get_port (session), ==, pas_test_sshd_get_port (sshd));
  g_assert_cmpint (pas_session_get_auth (session), ==, PAS_AUTH_KEY);
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

  /* Duplicate, then delete the copy. */
  pas_sessions_dialog_duplicate (dialog, session);
  g_assert_nonnull (find_session (store, "Demo server (copy)"));
  pas_sessions_dialog_delete (dialog, find_session (store, "Demo server (copy)"));
  g_assert_null (find_session (store, "Demo server (copy)"));

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

/* The adw row titled @title under @widget (as written, with its mnemonic
 * underscore). */
static gboolean
is_row_titled (GtkWidget    *widget,
               gconstpointer title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  return pas_test_ui_find (widget, is_row_titled, title);
}

typedef struct
{
  GtkWidget  *root;
  const char *title;
} RowWanted;

static gboolean
row_shown (gpointer data)
{
  RowWanted *wanted = data;
  return find_row (wanted->root, wanted->title) != NULL;
}

/* Types @text into Ctrl+N's dialog and presses Enter; returns the new tab. */
static PasBrowser *
connect_by_typing (const char *text)
{
  guint tabs = pas_window_get_n_servers (window);
  PasAlert *dialog;
  GtkWidget *entry;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL));
  dialog = wait_for_dialog ();
  entry = pas_alert_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* What Enter does in it: its GtkText activates the default (Connect). */
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (entry)), "activate");
  g_assert_true (pas_test_ui_wait_until (window_has_tabs, GUINT_TO_POINTER (tabs + 1), 10));
  return pas_window_get_browser (window, tabs);
}

/* The CLI's `resolve`: its "destination" line. */
static char *
cli_destination (const char *address)
{
  const char *argv[] = { g_getenv ("PAS_TEST_CLI"), "resolve", address, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  char *line;

  g_assert_true (pas_test_run (argv, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  line = strstr (out, "destination ");
  g_assert_nonnull (line);
  return g_strndup (line + strlen ("destination "), strcspn (line + strlen ("destination "), "\n"));
}

/* An ssh_config alias, typed as user@host:port, a saved session whose host
 * is the alias, and Test Connection of that session: the CLI, Ctrl+N, the
 * sessions dialog and the editor all reach one server (one description,
 * one PasServer). */
static void
test_one_resolver (void)
{
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autofree char *config = g_build_filename (ssh_dir, "config", NULL);
  g_autofree char *config_text = NULL;
  g_autofree char *cli_key = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *expected_row = NULL;
  g_autoptr(PasSession) session = pas_session_new ();
  PasSessionStore *store = pas_application_get_session_store (app, NULL);
  PasBrowser *by_alias, *by_address, *by_session;
  PasSessionsDialog *dialog;
  PasSessionEditor *editor;
  PasServer *server;
  GtkWidget *row;
  guint tabs = pas_window_get_n_servers (window);

  if (g_getenv ("XDG_CONFIG_HOME") == NULL || g_getenv ("PAS_TEST_CLI") == NULL)
    {
      g_test_skip ("needs the private HOME of scripts/test and the CLI");
      return;
    }
  /* The user's alias; no --identity: the key comes from ssh_config. */
  config_text = g_strdup_printf ("Host one-box\n  HostName 127.0.0.1\n  Port %u\n  User %s\n"
                                 "  IdentityFile %s\n  IdentitiesOnly yes\n",
                                 pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                                 pas_test_sshd_get_user_key (sshd));
  g_assert_cmpint (g_mkdir_with_parents (ssh_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, config_text, -1, NULL));
  pas_application_set_identity_files (app, (const char *[]) { NULL });

  /* 1. The command line. */
  cli_key = cli_destination ("one-box");
  typed = g_strdup_printf ("%s@127.0.0.1:%u", pas_test_sshd_get_user (sshd), pas_test_sshd_get_port (sshd));
  g_assert_cmpstr (cli_key, ==, typed);

  /* 2. Ctrl+N, by alias and as user@host:port: one server. */
  by_alias = connect_by_typing ("one-box");
  wait_tab_connected (by_alias);
  server = pas_browser_get_server (by_alias);
  g_assert_cmpstr (pas_server_get_key (server), ==, cli_key);
  by_address = connect_by_typing (typed);
  wait_tab_connected (by_address);
  g_assert_true (pas_browser_get_server (by_address) == server);
  g_assert_cmpstr (pas_browser_get_title (by_alias), ==, "one-box");

  /* 3. The sessions dialog: the alias's row says where it leads, and a
   * saved session whose host is the alias opens the same server. */
  g_object_set (session, "name", "Through the alias", "host", "one-box", "port", 0u, NULL);
  pas_session_store_add (store, session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sessions", NULL));
  dialog = PAS_SESSIONS_DIALOG (pas_test_ui_find_window (PAS_TYPE_SESSIONS_DIALOG));
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));
  {
    RowWanted wanted = { GTK_WIDGET (dialog), "one-box" };
    g_autoptr(PasDestination) destination = g_boxed_copy (PAS_TYPE_DESTINATION, pas_server_get_destination (server));
    g_autofree char *described = pas_destination_describe (destination);

    g_assert_true (pas_test_ui_wait_until (row_shown, &wanted, 10));
    row = find_row (GTK_WIDGET (dialog), "one-box");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, described);
  }

  /* 4. Test Connection of that session, pressed in its editor. */
  editor = PAS_SESSION_EDITOR (pas_sessions_dialog_edit (dialog, session));
  pas_test_ui_wait_for_mapped (GTK_WIDGET (editor));
  {
    GtkWidget *test = pas_test_ui_find_button (GTK_WIDGET (editor), "_Test Connection");

    g_assert_nonnull (test);
    g_signal_emit_by_name (test, "clicked");
  }
  g_assert_true (pas_test_ui_wait_until (editor_tested, editor, 30));
  g_test_message ("Test Connection: %s", pas_session_editor_get_test_result (editor));
  g_assert_nonnull (strstr (pas_session_editor_get_test_result (editor), "Connected as"));
  g_assert_cmpstr (pas_destination_get_key (pas_session_editor_get_tested_destination (editor)), ==, cli_key);
  gtk_window_destroy (GTK_WINDOW (editor));

  row = find_row (GTK_WIDGET (dialog), "Through the alias");
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  g_assert_true (pas_test_ui_wait_until (window_has_tabs, GUINT_TO_POINTER (tabs + 3), 10));
  by_session = pas_window_get_browser (window, tabs + 2);
  wait_tab_connected (by_session);
  g_assert_true (pas_browser_get_server (by_session) == server);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "one-server-three-tabs"));

  /* 5. The app's own command line, `passerelle one-box`: GApplication hands
   * the word over as a file under the current folder. */
  {
    g_autoptr(GFile) arg = g_file_new_for_commandline_arg ("one-box");
    PasBrowser *by_argument;

    g_application_open (G_APPLICATION (app), &arg, 1, "");
    g_assert_true (pas_test_ui_wait_until (window_has_tabs, GUINT_TO_POINTER (tabs + 4), 10));
    by_argument = pas_window_get_browser (window, tabs + 3);
    wait_tab_connected (by_argument);
    g_assert_true (pas_browser_get_server (by_argument) == server);
  }

  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
      pas_test_ui_iterate (50);
    }
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, tabs);
  pas_session_store_remove (store, session);
  g_assert_true (pas_session_store_save (store, NULL));
  g_unlink (config);
  {
    const char *identities[] = { pas_test_sshd_get_user_key (sshd), NULL };
    pas_application_set_identity_files (app, identities);
  }
}

/* A Host of ~/.ssh/config behind a bastion (ProxyJump), opened by its alias
 * with Ctrl+N: the bastion's unknown key is asked in the same dialog, and
 * the bastion's own log shows it carried us to the server. */
static void
test_tab_through_jump (void)
{
  const char *debug[] = { "LogLevel DEBUG1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) bastion = pas_test_sshd_new (&(PasTestSshdOptions) { .extra_config = debug }, &error);
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autofree char *config = g_build_filename (ssh_dir, "config", NULL);
  g_autofree char *config_text = NULL;
  g_autofree char *bastion_log = NULL;
  g_autofree char *expected = g_strdup_printf ("target 127.0.0.1 port %u", pas_test_sshd_get_port (sshd));
  PasBrowser *tab;
  PasAlert *dialog;

  g_assert_no_error (error);
  if (g_getenv ("XDG_CONFIG_HOME") == NULL)
    {
      g_test_skip ("needs the private HOME of scripts/test");
      return;
    }
  config_text = g_strdup_printf ("Host behind-bastion\n  HostName 127.0.0.1\n  Port %u\n  User %s\n"
                                 "  ProxyJump bastion\n"
                                 "Host bastion\n  HostName 127.0.0.1\n  Port %u\n  User %s\n"
                                 "  IdentityFile %s\n  IdentitiesOnly yes\n",
                                 pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                                 pas_test_sshd_get_port (bastion), pas_test_sshd_get_user (bastion),
                                 pas_test_sshd_get_user_key (bastion));
  g_assert_cmpint (g_mkdir_with_parents (ssh_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, config_text, -1, NULL));

  tab = connect_by_typing ("behind-bastion");
  /* The bastion is new to us: asked, named. */
  dialog = wait_for_dialog ();
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Unknown Server");
  {
    g_autofree char *port = g_strdup_printf ("%u", pas_test_sshd_get_port (bastion));
    g_assert_nonnull (strstr (pas_alert_get_body (dialog), port));
  }
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "jump-host-key"));
  respond (dialog, "once");
  wait_tab_connected (tab);
  g_assert_cmpuint (g_strv_length ((char **) pas_destination_get_jumps (pas_server_get_destination (
                      pas_browser_get_server (tab)))), ==, 1);
  bastion_log = pas_test_sshd_wait_for_log (bastion, "server_request_direct_tcpip");
  g_assert_nonnull (strstr (bastion_log, expected));
  /* No folder in the alias: the login folder, as realpath(".") said. */
  g_assert_cmpstr (pas_file_pane_get_location (pas_browser_get_remote_pane (tab)), ==,
                   pas_server_get_home (pas_browser_get_server (tab)));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "tab-through-jump"));
  disconnect_and_close_tab ();
  g_unlink (config);
}

/* A Ctrl+N attempt that fails leaves a page that says why, with Edit and
 * Reconnect: Edit puts the address back in the dialog, and the same tab
 * connects to the corrected one. */
static void
test_failed_tab_edit (void)
{
  g_autofree char *wrong = g_strdup_printf ("%s@127.0.0.1:1", pas_test_sshd_get_user (sshd));
  g_autofree char *right = g_strdup_printf ("%s@127.0.0.1:%u", pas_test_sshd_get_user (sshd),
                                            pas_test_sshd_get_port (sshd));
  guint tabs = pas_window_get_n_servers (window);
  PasBrowser *tab = connect_by_typing (wrong);
  PasBrowser *saved = browser;
  PasAlert *dialog;
  GtkWidget *edit;

  browser = tab;
  g_assert_true (pas_test_ui_wait_until (browser_in_state, GINT_TO_POINTER (PAS_BROWSER_FAILED), 20));
  browser = saved;
  g_assert_nonnull (strstr (pas_browser_get_error (tab)->message, "refused"));
  edit = pas_test_ui_find_button (GTK_WIDGET (tab), "_Edit…");
  g_assert_nonnull (edit);
  g_assert_true (gtk_widget_is_sensitive (edit));
  g_assert_nonnull (pas_test_ui_find_button (GTK_WIDGET (tab), "_Reconnect"));
  pas_test_ui_iterate (200);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "failed-tab"));

  g_signal_emit_by_name (edit, "clicked");
  dialog = wait_for_dialog ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (pas_alert_get_extra_child (dialog))), ==, wrong);
  gtk_editable_set_text (GTK_EDITABLE (pas_alert_get_extra_child (dialog)), right);
  respond (dialog, "connect");
  wait_tab_connected (tab);
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, tabs + 1);
  g_assert_cmpstr (pas_browser_get_title (tab), ==, right);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  pas_test_ui_iterate (100);
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, tabs);
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
static void
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
  gtk_spin_button_set_value (pas_session_editor_get_port (editor), pas_test_sshd_get_port (second));
  adw_combo_row_set_selected (pas_session_editor_get_auth (editor), PAS_AUTH_PASSWORD);

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
  g_assert_cmpuint (adw_combo_row_get_selected (pas_session_editor_get_auth (editor)), ==, PAS_AUTH_KEY);
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
  adw_combo_row_set_selected (pas_session_editor_get_auth (editor), PAS_AUTH_AUTO);
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

static void
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

static gboolean
command_done (gpointer data)
{
  return pas_command_dialog_is_done (data);
}

/* The @n-th (from 0) shown widget of @type under @widget, depth first. */
static GtkWidget *
find_nth (GtkWidget *widget,
          GType      type,
          guint     *n)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (*n)-- == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_nth (child, type, n);
      if (found != NULL)
        return found;
    }
  return NULL;
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
static void
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
  g_assert_true (g_str_has_suffix (pas_file_pane_get_status_text (local), " — browsing together"));
  g_assert_true (g_str_has_suffix (pas_file_pane_get_status_text (remote), " — browsing together"));

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
  g_assert_null (strstr (pas_file_pane_get_status_text (local), "browsing together"));
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

static gboolean
is_name_cell_of (GtkWidget    *widget,
                 gconstpointer name)
{
  return GTK_IS_BOX (widget) && is_cell_of (widget, name);
}

/* What the row of @name shows of Compare: the mark's icon, and its words
 * (the tooltip, and what a screen reader reads), or NULL. */
static const char *
mark_shown (PasFilePane *pane,
            const char  *name,
            const char **icon)
{
  GtkWidget *cell = pas_test_ui_find (GTK_WIDGET (pane), is_name_cell_of, name);
  GtkWidget *mark;

  g_assert_nonnull (cell);
  mark = gtk_widget_get_last_child (cell);
  g_assert_true (GTK_IS_IMAGE (mark));
  if (!gtk_widget_get_visible (mark))
    return NULL;
  if (icon != NULL)
    *icon = gtk_image_get_icon_name (GTK_IMAGE (mark));
  return g_object_get_data (G_OBJECT (mark), "pas-mark-words");
}

typedef struct
{
  PasFilePane *pane;
  const char  *name;
  const char  *words;
} Mark;

static gboolean
mark_is (gpointer data)
{
  Mark *mark = data;
  GtkWidget *cell = pas_test_ui_find (GTK_WIDGET (mark->pane), is_name_cell_of, mark->name);

  return cell != NULL && g_strcmp0 (mark_shown (mark->pane, mark->name, NULL), mark->words) == 0;
}

static void
assert_mark (PasFilePane *pane,
             const char  *name,
             const char  *words,
             const char  *icon)
{
  Mark mark = { pane, name, words };
  const char *shown_icon = NULL;

  if (!pas_test_ui_wait_until (mark_is, &mark, 10))
    g_error ("“%s” is marked “%s”, not “%s”", name, mark_shown (pane, name, NULL), words);
  if (words != NULL)
    {
      mark_shown (pane, name, &shown_icon);
      g_assert_cmpstr (shown_icon, ==, icon);
    }
}

/* Compare (the menu's toggle): each pane marks its rows against the other
 * side's folder, with an icon and words, and the marks follow the
 * listings as they change and as one browses. */
static void
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
  g_assert_cmpstr (pas_file_pane_get_status_text (local), ==,
                   "6 items — compared: 1 only here, 1 newer, 1 older, 1 not the same, 1 only there");
  g_assert_cmpstr (pas_file_pane_get_status_text (remote), ==,
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
    g_assert_cmpstr (pas_file_pane_get_status_text (local), ==,
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
static void
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
static void
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
  g_assert_true (pas_test_ui_wait_until (sync_plan_ready, dialog, 20));
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
  g_assert_true (pas_test_ui_wait_until (sync_plan_ready, dialog, 20));
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
    g_assert_true (pas_test_ui_wait_until (transfer_done, item, 20));
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
  g_assert_true (pas_test_ui_wait_until (sync_plan_ready, dialog, 20));
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

/* Run a Command as a person uses it: the command typed into the entry and
 * Enter; both streams and the exit status shown; output that streams in
 * while the command runs; Stop; Up for the last command; Escape closes. */
static void
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
static void
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
               pas_file_pane_get_status_text (remote), state);
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

static void
test_connection_lost_and_reconnect (void)
{
  PasFilePane *remote = pas_browser_get_remote_pane (browser);

  /* The server's session process dies: the next request notices, the tab
   * offers to reconnect, and reconnecting works without asking again. */
  g_assert_cmpuint (pas_test_sshd_kill_sessions (sshd), >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "pane.refresh", NULL));
  g_assert_true (pas_test_ui_wait_until (browser_in_state, GINT_TO_POINTER (PAS_BROWSER_FAILED), 30));
  g_assert_nonnull (pas_browser_get_error (browser));
  pas_test_ui_iterate (500);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-connection-lost"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reconnect", NULL));
  g_assert_true (pas_test_ui_wait_until (browser_in_state, GINT_TO_POINTER (PAS_BROWSER_CONNECTED), 30));
  g_assert_null (pas_test_ui_find_widget (PAS_TYPE_ALERT));
  wait_shown (remote, "docs");
}

/* Puts another key of the server's type on file for it, as after a
 * reinstall (or an attack); returns its .pub path. */
static char *
forge_known_host (const char *name)
{
  g_autofree char *key = g_build_filename (pas_test_sshd_get_dir (sshd), name, NULL);
  g_autofree char *pub = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key, NULL };
  g_autoptr(GError) error = NULL;
  char *pub_path = g_strconcat (key, ".pub", NULL);
  int status = -1;

  g_assert_true (pas_test_run (argv, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  pub = read_file (pub_path);
  fields = g_strsplit (pub, " ", 3);
  line = g_strdup_printf ("[127.0.0.1]:%u %s %s\n", pas_test_sshd_get_port (sshd), fields[0], fields[1]);
  g_assert_true (g_file_set_contents (known_hosts, line, -1, NULL));
  return pub_path;
}

static gboolean
browser_connected (gpointer data)
{
  return pas_browser_get_state (data) == PAS_BROWSER_CONNECTED;
}

static void
test_changed_host_key (void)
{
  g_autofree char *uri = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *forged_pub = NULL;
  g_autofree char *host_pub = g_build_filename (pas_test_sshd_get_dir (sshd), "host_ed25519.pub", NULL);
  g_autofree char *old_fingerprint = NULL;
  g_autofree char *new_fingerprint = keygen_fingerprint (host_pub);
  g_autofree char *quoted_file = g_shell_quote (known_hosts);
  g_autofree char *command = g_strdup_printf ("ssh-keygen -f %s -R '[127.0.0.1]:%u'", quoted_file,
                                              pas_test_sshd_get_port (sshd));
  g_autoptr(GPtrArray) fingerprints = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PasUri) parsed = NULL;
  PasBrowser *second;
  PasAlert *dialog;

  /* Another key of the same type on file for this server: a danger dialog
   * that refuses by default and has nothing that would just accept it. */
  lines = read_file (known_hosts);
  forged_pub = forge_known_host ("other_host_key");
  old_fingerprint = keygen_fingerprint (forged_pub);
  /* A tab on a connected server joins its connection (its key was checked
   * then): disconnected first, the new tab makes a new one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (browser), "browser.disconnect", NULL));

  uri = pas_test_sshd_get_uri (sshd, NULL, remote_root);
  parsed = pas_uri_parse (uri, &error);
  g_assert_no_error (error);
  second = pas_window_add_server (window, parsed);
  g_assert_true (pas_test_ui_wait_until (dialog_shown, NULL, 20));
  dialog = pas_test_ui_find_widget (PAS_TYPE_ALERT);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (dialog), "host-key-danger"));
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Server Key Changed");
  g_assert_false (pas_alert_has_response (dialog, "save"));
  g_assert_false (pas_alert_has_response (dialog, "once"));
  g_assert_true (pas_alert_has_response (dialog, "replace"));
  g_assert_cmpstr (pas_alert_get_default_response (dialog), ==, "close");
  g_assert_cmpint (pas_browser_get_state (second), ==, PAS_BROWSER_FAILED);
  g_assert_error (pas_browser_get_error (second), PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED);
  /* Both fingerprints as ssh-keygen -l prints them, and the exact command
   * for this host and file, each copyable. */
  collect_fingerprints (pas_alert_get_extra_child (dialog), fingerprints);
  g_assert_cmpuint (fingerprints->len, ==, 3);
  g_assert_cmpstr (pas_fingerprint_get_text (g_ptr_array_index (fingerprints, 0)), ==, old_fingerprint);
  g_assert_cmpstr (pas_fingerprint_get_text (g_ptr_array_index (fingerprints, 1)), ==, new_fingerprint);
  g_assert_cmpstr (pas_fingerprint_get_text (g_ptr_array_index (fingerprints, 2)), ==, command);
  {
    g_autofree char *copied = copy_fingerprint (g_ptr_array_index (fingerprints, 2));
    g_autofree char *where = g_strdup_printf ("On file (%s:1)", known_hosts);

    g_assert_cmpstr (copied, ==, command);
    pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));
    pas_test_ui_iterate (50);
    g_assert_nonnull (find_label (GTK_WIDGET (dialog), where));
  }
  for (guint i = 0; i < fingerprints->len; i++)
    assert_shown_whole (g_ptr_array_index (fingerprints, i));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "host-key-changed-dialog"));

  /* Not a dead end, even refusing: the command shown, run in a shell,
   * removes the old key (then the server is asked about as a new one). */
  {
    const char *argv[] = { "sh", "-c", command, NULL };
    int status = -1;

    respond (dialog, "close");
    pas_test_ui_iterate (100);
    g_assert_true (pas_test_run (argv, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "browser.reconnect", NULL));
    dialog = wait_for_dialog ();
    g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Unknown Server");
    respond (dialog, "cancel");
    pas_test_ui_iterate (100);
  }

  /* Replace the Stored Key…: a second question (Cancel by default, the
   * new fingerprint again), then the old line goes, the new key is saved
   * and the tab connects without asking about it. */
  g_free (forge_known_host ("other_host_key_2"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "browser.reconnect", NULL));
  dialog = wait_for_dialog ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (dialog), "host-key-danger"));
  respond (dialog, "replace");
  dialog = wait_for_dialog ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (dialog), "host-key-replace"));
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Replace the Stored Key?");
  g_assert_cmpstr (pas_alert_get_default_response (dialog), ==, "cancel");
  g_ptr_array_set_size (fingerprints, 0);
  collect_fingerprints (pas_alert_get_extra_child (dialog), fingerprints);
  g_assert_cmpuint (fingerprints->len, ==, 1);
  g_assert_cmpstr (pas_fingerprint_get_text (g_ptr_array_index (fingerprints, 0)), ==, new_fingerprint);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (dialog), "host-key-replace-dialog"));
  respond (dialog, "replace");
  g_assert_true (pas_test_ui_wait_until (browser_connected, second, 30));
  g_assert_false (dialog_shown (NULL));
  {
    g_autofree char *now = read_file (known_hosts);
    g_autofree char *old_copy = g_strconcat (known_hosts, ".old", NULL);
    g_autofree char *host_line = read_file (host_pub);
    g_auto(GStrv) fields = g_strsplit (host_line, " ", 3);
    g_autofree char *expected = g_strdup_printf ("[127.0.0.1]:%u %s %s\n", pas_test_sshd_get_port (sshd),
                                                 fields[0], fields[1]);

    /* The forged line went; the server's key is the one line left. */
    g_assert_cmpstr (now, ==, expected);
    g_assert_true (g_file_test (old_copy, G_FILE_TEST_EXISTS));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  pas_test_ui_iterate (100);
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, 1);
  g_assert_true (g_file_set_contents (known_hosts, lines, -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (browser), "browser.reconnect", NULL));
  g_assert_true (pas_test_ui_wait_until (browser_in_state, GINT_TO_POINTER (PAS_BROWSER_CONNECTED), 30));
}

/* A viewer for the opened-file test: the desktop's default for Markdown in
 * the test's private HOME, a program that just exits. */
static void
install_test_viewer (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop = g_build_filename (apps, "pas-test-viewer.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);

  /* Only in the private HOME that scripts/test (session-run.sh) makes. */
  if (g_getenv ("XDG_DATA_HOME") == NULL || g_getenv ("XDG_CONFIG_HOME") == NULL)
    return;
  g_assert_cmpint (g_mkdir_with_parents (apps, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0755), ==, 0);
  g_assert_true (g_file_set_contents (desktop,
                                      "[Desktop Entry]\nType=Application\nName=Test viewer\n"
                                      "Exec=true %f\nMimeType=text/markdown;\n", -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\ntext/markdown=pas-test-viewer.desktop\n",
                                      -1, NULL));
}

static void
make_tree (void)
{
  struct { const char *path; const char *text; } files[] = {
    { "docs/notes.txt", "- renew the certificate\n" },
    { "docs/.secret", "hidden\n" },
    { "readme.md", "# Demo\n" },
  };
  g_autofree char *local_report = g_build_filename (local_root, "report.txt", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (remote_root, files[i].path, NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
      g_assert_true (g_file_set_contents (path, files[i].text, -1, NULL));
    }
  g_assert_cmpint (g_mkdir_with_parents (local_root, 0755), ==, 0);
  g_assert_true (g_file_set_contents (local_report, "Quarterly report\n", -1, NULL));
}

static gboolean
tab_count_is (gpointer data)
{
  return pas_window_get_n_servers (window) == GPOINTER_TO_UINT (data);
}

static gboolean
ticked (gpointer data)
{
  gint64 *last = data;
  gint64 now = g_get_monotonic_time ();

  last[1] = MAX (last[1], now - last[0]);
  last[2]++;
  if (now - last[0] > 50000)
    g_test_message ("gap of %.0f ms", (now - last[0]) / 1000.0);
  last[0] = now;
  return G_SOURCE_CONTINUE;
}

/* The window against a server that lies (tests/fixtures/hostile-sftp-server.py):
 * names that cannot name a file are left out and counted where people see
 * them; a server that stalls mid-reply holds its tab, not the window, and
 * the tab closes at once. (An endless listing in a folder model is
 * test-hostile's endless-listing-model.) */
static void
test_hostile_server (void)
{
  g_autofree char *server_hosts = g_build_filename (pas_test_sshd_get_dir (sshd), "hostile_known_hosts", NULL);
  g_autofree char *line = NULL;
  g_autofree char *hosts = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(PasUri) names_uri = NULL;
  g_autoptr(PasUri) stall_uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *names_text = NULL;
  g_autofree char *stall_text = NULL;
  guint tabs = pas_window_get_n_servers (window);
  gint64 ticks[3] = { g_get_monotonic_time (), 0, 0 };   /* last tick, longest gap, count */
  guint tick_id;
  guint16 port;
  PasBrowser *tab;
  PasFilePane *remote;
  GListModel *model;

  /* The app trusts the hostile server's key, as after a first connection. */
  server = pas_test_start_python_server ("hostile-sftp-server.py", &port, server_hosts);
  g_assert_true (g_file_get_contents (server_hosts, &line, NULL, NULL));
  g_assert_true (g_file_get_contents (known_hosts, &hosts, NULL, NULL));
  {
    g_autofree char *both = g_strconcat (hosts, line, NULL);
    g_assert_true (g_file_set_contents (known_hosts, both, -1, NULL));
  }

  tick_id = g_timeout_add (10, ticked, ticks);
  names_text = g_strdup_printf ("sftp://names@127.0.0.1:%u/srv", port);
  names_uri = pas_uri_parse (names_text, &error);
  g_assert_no_error (error);
  tab = pas_window_add_server (window, names_uri);
  wait_tab_connected (tab);
  remote = pas_browser_get_remote_pane (tab);
  g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
  model = pas_file_pane_get_model (remote);
  /* ok.txt, the bidi name and the one with a line break, shown escaped;
   * "../../etc/passwd", "a/b", "", "x\0y" and the 64 KiB name left out. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_test_message ("status: %s", pas_file_pane_get_status_text (remote));
  g_assert_nonnull (strstr (pas_file_pane_get_status_text (remote), "5 unusable names left out"));
  pas_test_ui_iterate (600);   /* the "Connecting…" page fades out */
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "hostile-server-names"));

  /* A server that never finishes its answers: the window keeps ticking. */
  stall_text = g_strdup_printf ("sftp://stall@127.0.0.1:%u/srv", port);
  stall_uri = pas_uri_parse (stall_text, &error);
  g_assert_no_error (error);
  tab = pas_window_add_server (window, stall_uri);
  pas_test_ui_iterate (1500);
  g_assert_cmpint (pas_browser_get_state (tab), !=, PAS_BROWSER_CONNECTED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_true (pas_test_ui_wait_until (tab_count_is, GUINT_TO_POINTER (tabs + 1), 5));
  pas_test_ui_iterate (200);
  g_source_remove (tick_id);
  /* Waiting on the stalled server would stop the ticks for the whole
   * 1.5 s (it never answers); drawing a new tab's first frame (cairo under
   * Xvfb, 2 cores) takes 50–350 ms here, 500 under ASan, which these
   * bounds leave to the drawing. */
  g_test_message ("%" G_GINT64_FORMAT " ticks of 10 ms, longest gap %.0f ms", ticks[2], ticks[1] / 1000.0);
  g_assert_cmpint (ticks[1], <, 1400 * 1000);
  g_assert_cmpint (ticks[2], >=, 30);

  /* The first hostile tab still answers. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_true (pas_test_ui_wait_until (tab_count_is, GUINT_TO_POINTER (tabs), 5));
  g_assert_true (g_file_set_contents (known_hosts, hosts, -1, NULL));
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

/* A case of the window: it starts connected, as the first case leaves it;
 * run alone (-p), that case runs first. */
static void
run_connected (gconstpointer data)
{
  void (*test) (void) = (void (*) (void)) data;

  if (window == NULL)
    test_connect_and_host_key ();
  test ();
}
#define ADD(path, func) g_test_add_data_func (path, (gconstpointer) (func), run_connected)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *identities[2] = { NULL, NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* GLib 2.80 and later route g_log() (not g_log_structured()) of a test
   * program to a handler of g_test_init's that prints it as a TAP comment
   * and never reaches the writer: hand it back to GLib's default handler,
   * which goes through the writer, so that every line is captured. */
  g_log_set_default_handler (g_log_default_handler, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  sshd = pas_test_sshd_new (&(PasTestSshdOptions) { .password_auth = TRUE }, &error);
  g_assert_no_error (error);
  remote_root = g_build_filename (pas_test_sshd_get_dir (sshd), "srv", NULL);
  local_root = g_build_filename (pas_test_sshd_get_dir (sshd), "local", NULL);
  known_hosts = g_build_filename (pas_test_sshd_get_dir (sshd), "app_known_hosts", NULL);
  g_assert_true (g_file_set_contents (known_hosts, "", 0, NULL));
  make_tree ();
  install_test_viewer ();

  start_notification_service ();
  app = pas_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  identities[0] = pas_test_sshd_get_user_key (sshd);
  pas_application_set_identity_files (app, identities);
  pas_application_set_known_hosts (app, known_hosts);

  g_test_add_func ("/ui/browser/connect-and-host-key", test_connect_and_host_key);
  /* The others run in the window the first one connected (or connect it
   * first when run alone, with -p). */
  ADD ("/ui/browser/browse", test_browse);
  ADD ("/ui/browser/idle-window-sleeps", test_idle_window_sleeps);
  /* After the idle test: with GTK 4.18, a row given the focus by a test
   * (not by the keyboard) left the window waking ~40 times a second. */
  ADD ("/ui/browser/keyboard-row-and-menu", test_keyboard_row_and_menu);
  ADD ("/ui/browser/connection-details", test_connection_details);
  ADD ("/ui/browser/remote-folder-operations", test_remote_folder_operations);
  ADD ("/ui/browser/upload-and-download", test_upload_and_download);
  ADD ("/ui/browser/drop-on-remote-pane", test_drop_on_remote_pane);
  ADD ("/ui/browser/conflict-keep-both", test_conflict_keep_both);
  ADD ("/ui/browser/panel-tells-the-truth", test_panel_tells_the_truth);
  ADD ("/ui/browser/panel-follows-work", test_panel_follows_work);
  ADD ("/ui/browser/properties-chmod", test_properties_chmod);
  ADD ("/ui/browser/password-and-keyring", test_password_and_keyring);
  ADD ("/ui/browser/passphrase-and-keyring", test_passphrase_and_keyring);
  ADD ("/ui/browser/open-remote-file", test_open_remote_file);
  ADD ("/ui/browser/drag-out-to-desktop", test_drag_out_to_desktop);
  ADD ("/ui/browser/drop-on-local-pane", test_drop_on_local_pane);
  ADD ("/ui/browser/click-activates-pane", test_click_activates_pane);
  ADD ("/ui/browser/narrow-window", test_narrow_window);
  ADD ("/ui/browser/dark-style", test_dark_style);
  ADD ("/ui/browser/big-folder-streams", test_big_folder_streams);
  ADD ("/ui/browser/transfers-never-stall", test_transfers_never_stall);
  ADD ("/ui/browser/sessions-dialog", test_sessions_dialog);
  ADD ("/ui/browser/one-resolver", test_one_resolver);
  ADD ("/ui/browser/failed-tab-edit", test_failed_tab_edit);
  ADD ("/ui/browser/tab-through-jump", test_tab_through_jump);
  ADD ("/ui/browser/key-tools", test_key_tools);
  ADD ("/ui/browser/filezilla-import", test_filezilla_import);
  ADD ("/ui/browser/run-command", test_run_command);
  ADD ("/ui/browser/synchronize", test_synchronize);
  ADD ("/ui/browser/follow-folders", test_follow_folders);
  ADD ("/ui/browser/follow-path", test_follow_path);
  ADD ("/ui/browser/compare-marks", test_compare_marks);
  ADD ("/ui/browser/preferences-apply", test_preferences_apply);
  ADD ("/ui/browser/connection-lost-and-reconnect", test_connection_lost_and_reconnect);
  ADD ("/ui/browser/changed-host-key", test_changed_host_key);
  ADD ("/ui/browser/hostile-server", test_hostile_server);

  ret = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  pas_test_ui_iterate (100);
  /* The application disconnects the servers it still holds; their threads
   * end once this thread has answered what they were waiting for. */
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  pas_test_wait_for_connection_threads ();
  pas_test_rm_rf (local_root, NULL);
  g_clear_pointer (&sshd, pas_test_sshd_free);
  g_free (remote_root);
  g_free (local_root);
  g_free (known_hosts);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_object (&notification_bus);
  return ret;
}
