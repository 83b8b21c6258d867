#pragma once

/* What the window's cases share (browser-fixture.c) and the cases each
 * browser-*.c file adds (listed in test-browser.c's main). */

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

G_BEGIN_DECLS

typedef struct
{
  PasFilePane *pane;
  const char  *name;
} Shown;

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

typedef struct
{
  PasStallProbe *frame;   /* over 16 ms */
  PasStallProbe *fifty;   /* over 50 ms */
  PasStallProbe *stall;   /* over the limit */
  guint          limit;
} Probes;

/* The server, the app and the window the cases work on. */
extern PasApplication *app;
extern PasTestSshd *sshd;
extern char *remote_root;
extern char *local_root;
extern char *known_hosts;
extern PasWindow *window;
extern PasBrowser *browser;
extern GPtrArray *notifications;
extern GDBusConnection *notification_bus;
extern GString *captured_log;
extern GMutex captured_lock;

gboolean
pointer_is_null (gpointer data);
gboolean
dialog_shown (gpointer data);
PasAlert *
wait_for_dialog (void);
const char *
text_of (GtkWidget *widget);
gboolean
is_label_saying (GtkWidget    *widget,
                 gconstpointer text);
GtkWidget *
find_label (GtkWidget  *widget,
            const char *text);
gboolean
is_label_containing (GtkWidget    *widget,
                     gconstpointer text);
gboolean
label_containing (GtkWidget  *widget,
                  const char *text);
gboolean
window_says (gpointer text);
gboolean
is_of_type (GtkWidget    *widget,
            gconstpointer type);
GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type);
GtkColumnView *
find_column_view (GtkWidget *widget);
void
respond (PasAlert   *dialog,
         const char *response);
gboolean
browser_in_state (gpointer data);
gboolean
pane_loaded (gpointer data);
gboolean
file_exists (gpointer data);
gboolean
file_missing (gpointer data);
gboolean
model_has (PasFilePane *pane,
           const char  *name);
gboolean
shown_in_pane (gpointer data);
void
wait_shown (PasFilePane *pane,
            const char  *name);
void
select_only (PasFilePane *pane,
             const char  *name);
char *
read_file (const char *path);
gboolean
queue_idle (gpointer data);
void
assert_queue_all_done (void);
void
settle (PasStallProbe *probe);
gboolean
is_cell_of (GtkWidget    *widget,
            gconstpointer name);
GtkWidget *
find_cell (GtkWidget  *widget,
           const char *name);
GtkWidget *
focusable_row_of (PasFilePane *pane,
                  const char  *name);
void
wait_tab_connected (PasBrowser *tab);
void
disconnect_and_close_tab (void);
gboolean
widget_mapped (gpointer data);
void
probes_start (Probes *probes,
              guint   limit);
void
probes_check (Probes     *probes,
              const char *what);
const char *
summary (void);
gboolean
editor_tested (gpointer data);
gboolean
window_has_tabs (gpointer data);
gboolean
is_row_titled (GtkWidget    *widget,
               gconstpointer title);
GtkWidget *
find_row (GtkWidget  *widget,
          const char *title);
GtkWidget *
find_nth (GtkWidget *widget,
          GType      type,
          guint     *n);
gboolean
is_name_cell_of (GtkWidget    *widget,
                 gconstpointer name);
const char *
mark_shown (PasFilePane *pane,
            const char  *name,
            const char **icon);
gboolean
mark_is (gpointer data);
void
assert_mark (PasFilePane *pane,
             const char  *name,
             const char  *words,
             const char  *icon);

/* browser-connect.c */
void test_connect_and_host_key (void);
void test_one_resolver (void);
void test_tab_through_jump (void);
void test_failed_tab_edit (void);
void test_connection_lost_and_reconnect (void);
void test_changed_host_key (void);
void test_hostile_server (void);

/* browser-files.c */
void test_browse (void);
void test_keyboard_row_and_menu (void);
void test_connection_details (void);
void test_remote_folder_operations (void);
void test_properties_chmod (void);
void test_open_remote_file (void);
void test_click_activates_pane (void);
void test_run_command (void);
void test_preferences_apply (void);

/* browser-window.c */
void test_idle_window_sleeps (void);
void test_narrow_window (void);
void test_dark_style (void);
void test_big_folder_streams (void);

/* browser-transfers.c */
void test_upload_and_download (void);
void test_drop_on_remote_pane (void);
void test_conflict_keep_both (void);
void test_drag_out_to_desktop (void);
void test_drop_on_local_pane (void);
void test_panel_tells_the_truth (void);
void test_panel_follows_work (void);
void test_transfers_never_stall (void);

/* browser-secrets.c */
void test_password_and_keyring (void);
void test_passphrase_and_keyring (void);
void test_sessions_dialog (void);
void test_key_tools (void);
void test_filezilla_import (void);

/* browser-sync.c */
void test_follow_folders (void);
void test_compare_marks (void);
void test_follow_path (void);
void test_synchronize (void);

G_END_DECLS
