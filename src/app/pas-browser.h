#pragma once

#include <adwaita.h>

#include "pas-engine.h"
#include "pas-file-pane.h"

G_BEGIN_DECLS

#define PAS_TYPE_BROWSER (pas_browser_get_type ())

G_DECLARE_FINAL_TYPE (PasBrowser, pas_browser, PAS, BROWSER, GtkWidget)

/* One connection: a tab of the window. Local files on the left, the
 * server's on the right, and the actions between them ("browser.*").
 * Transfers go to the window's shared queue. */

typedef enum
{
  PAS_BROWSER_CONNECTING,
  PAS_BROWSER_CONNECTED,
  PAS_BROWSER_FAILED,        /* never connected, or the connection dropped */
  PAS_BROWSER_CLOSED,
} PasBrowserState;

PasBrowser      *pas_browser_new                (const PasAddress  *address,
                                                 PasTransferQueue  *queue);
PasBrowser      *pas_browser_new_for_session    (PasSession        *session,
                                                 PasTransferQueue  *queue);
void             pas_browser_connect            (PasBrowser        *self);
void             pas_browser_disconnect         (PasBrowser        *self);
void             pas_browser_close              (PasBrowser        *self);
PasBrowserState  pas_browser_get_state          (PasBrowser        *self);
const GError    *pas_browser_get_error          (PasBrowser        *self);
const char      *pas_browser_get_title          (PasBrowser        *self);
const char      *pas_browser_get_server_key     (PasBrowser        *self);
PasFilePane     *pas_browser_get_local_pane     (PasBrowser        *self);
PasFilePane     *pas_browser_get_remote_pane    (PasBrowser        *self);
PasFilePane     *pas_browser_get_active_pane    (PasBrowser        *self);
/* One pane at a time (a narrow window), with a switcher under it. */
gboolean         pas_browser_is_folded          (PasBrowser        *self);
/* (nullable) The connection behind the tab, while there is one. */
PasConnection   *pas_browser_get_connection     (PasBrowser        *self);
/* (nullable) The server the tab shows, once its address is resolved. */
PasServer       *pas_browser_get_server         (PasBrowser        *self);
/* Browsing both folders together: a move of one pane is made on the other
 * (the "follow-folders" property; "browser.follow-folders", Ctrl+Y). */
gboolean         pas_browser_get_follow_folders (PasBrowser        *self);
/* Compare: rows of both panes marked by how they stand against the other
 * side's folder (the "compare" property; "browser.compare"). */
gboolean         pas_browser_get_compare        (PasBrowser        *self);
void             pas_browser_set_compare        (PasBrowser        *self,
                                                 gboolean           compare);
void             pas_browser_set_follow_folders (PasBrowser        *self,
                                                 gboolean           follow);

G_END_DECLS
