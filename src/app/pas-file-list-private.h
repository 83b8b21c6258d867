#pragma once

/* PasFileList spans two files: the object, which follows its source and
 * shows a job's result in steps (pas-file-list.c), and the job itself —
 * entries, their sort keys, the filter, the merge and where it may be cut
 * — run on the main thread for small changes and in a worker for big ones
 * (pas-file-list-job.c). This is what they share. */

#include "pas-file-list.h"

G_BEGIN_DECLS


/* One source item, with what sorting needs copied out of it: the GFileInfo
 * may change in the main thread (a link's target found) while a worker
 * reads the copy. Immutable once the worker made its key. */
typedef struct
{
  gatomicrefcount  ref;
  GFileInfo       *info;
  char            *name;
  char            *folded;   /* made in the worker, with the key */
  char            *key;
  gint64           size;     /* -1 for folders */
  guint64          mtime;
  gboolean         folder;
  gboolean         hidden;
} Entry;

typedef struct
{
  PasFileOrder column;
  gboolean     descending;
} Order;

/* What is left out: hidden files unless shown, names without the search
 * text (case-folded) when there is one. */
typedef struct
{
  gboolean     show_hidden;
  char        *needle;
} Filter;

/* A worker's work: @sorted (what the list shows), minus @removed, plus
 * what @filter keeps of @added, in @order. */
typedef struct
{
  guint        generation;
  Order        order;
  Filter       filter;
  gboolean     resort;
  gboolean     rebuild;    /* @added is the whole source: nothing kept */
  GPtrArray   *sorted;
  GHashTable  *removed;
  GPtrArray   *added;
} Job;

/* What a job made: the new list, and where it can be shown in steps. A cut
 * (i, j) says the first j entries of @sorted followed by the old list from
 * its entry i are a sorted list too: so a big merge reaches the view as
 * stretches of at most STEP entries, one per dispatch. */
typedef struct _Result
{
  GPtrArray *sorted;
  GArray    *cuts;    /* of Cut, the last one (old length, new length) */
} Result;

typedef struct
{
  guint old_index;
  guint new_index;
} Cut;

/* GTK keeps a row made for each of the first ~200 entries (VIEW_ROWS) and
 * lays out the new ones in the next frame: 200 at once, an empty list
 * filling, took 45–50 ms with GTK 4.8. So steps there bring at most
 * FILL_ROWS new entries (a screen's worth), one step per frame. */
#define FILL_ROWS 40
#define VIEW_ROWS 200

Entry  *pas_file_entry_new        (GFileInfo *info);
Entry  *pas_file_entry_ref        (Entry     *entry);
void    pas_file_entry_unref      (gpointer   data);

Result *pas_file_list_run_job     (Job       *job);
void    pas_file_list_job_free    (Job       *job);
void    pas_file_list_result_free (Result    *result);

G_END_DECLS
