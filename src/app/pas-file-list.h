#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

#define PAS_TYPE_FILE_LIST (pas_file_list_get_type ())

G_DECLARE_FINAL_TYPE (PasFileList, pas_file_list, PAS, FILE_LIST, GObject)

typedef enum
{
  PAS_FILE_ORDER_NAME,
  PAS_FILE_ORDER_SIZE,
  PAS_FILE_ORDER_MODIFIED,
} PasFileOrder;

/* The GFileInfos of a source model, folders first, then in the chosen
 * order (ties by name). Collation keys are made and new entries sorted in a
 * worker thread; the main thread only merges sorted runs, so a listing of
 * 50,000 entries arriving in batches never holds the main loop. The list
 * lags the source by a worker round trip: "busy" says whether it has
 * caught up. */
PasFileList  *pas_file_list_new          (void);
void          pas_file_list_set_model    (PasFileList  *self,
                                          GListModel   *model);
void          pas_file_list_set_order    (PasFileList  *self,
                                          PasFileOrder  order,
                                          gboolean      descending);
PasFileOrder  pas_file_list_get_order    (PasFileList  *self,
                                          gboolean     *descending);
/* Leaves out hidden files unless @show_hidden, and names that do not
 * contain @text (ignoring case) when it is not empty. Filtering 50,000
 * entries is a worker's job too: typing in the search entry never waits. */
void          pas_file_list_set_filter   (PasFileList  *self,
                                          gboolean      show_hidden,
                                          const char   *text);
/* Hidden files in the source, shown or not. */
guint         pas_file_list_get_n_hidden (PasFileList  *self);
/* The source's GFileInfos, filtered or not (references, in the source's
 * order): a copy of pointers the list keeps anyway, cheaper than asking the
 * source for each item. */
GPtrArray    *pas_file_list_dup_source_infos (PasFileList *self);
gboolean      pas_file_list_is_busy      (PasFileList  *self);
/* The view's clock: an empty list then fills one screen per frame. */
void          pas_file_list_set_frame_clock (PasFileList   *self,
                                             GdkFrameClock *clock);

/* Frees @data with @free_func in a worker thread: the last reference to a
 * big listing, which took tens of milliseconds to free. Nothing else may
 * use @data. */
void          pas_drop_in_thread         (gpointer        data,
                                          GDestroyNotify  free_func);

/* What the Size column sorts by: -1 for folders and for sizes a server
 * left out. */
gint64      pas_file_info_sort_size (GFileInfo *info);

G_END_DECLS
