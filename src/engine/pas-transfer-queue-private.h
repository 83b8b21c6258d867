#pragma once

/* PasTransferQueue spans two files: the queue and its runs
 * (pas-transfer-queue.c) and its state file (pas-transfer-queue-state.c). */

#include "pas-transfer-queue.h"

G_BEGIN_DECLS

typedef struct
{
  PasTransfer      *transfer;
  char             *server;
  GCancellable     *cancellable;   /* of the current run */
  PasTransferState  after_stop;    /* where a cancelled run leaves it */
  PasConflictPolicy saved_policy;  /* as queue.ini has it */
  char             *saved_kept;     /* as queue.ini has it */
} Item;

/* Writes of queue.ini happen in GTask threads; this outlives the queue so a
 * write still running at exit cannot replace a newer one. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  char            *path;
  guint64          written;   /* generation of the file on disk */
} Saver;

struct _PasTransferQueue
{
  GObject      parent_instance;
  char        *state_file;
  GPtrArray   *items;         /* of Item */
  GHashTable  *servers;       /* server -> GPtrArray of PasSftpSession */
  guint        max_running;
  guint        running;
  guint64      speed_limit;
  GSource     *tick;
  Saver       *saver;
  GSource     *save_source;   /* a write is due */
  guint64      generation;    /* of the last snapshot taken */
};

/* pas-transfer-queue.c */
/* Starts what may start. */
void    pas_transfer_queue_pump         (PasTransferQueue *self);

/* pas-transfer-queue-state.c */
/* A save is due: the changes of a second are written together. */
void    pas_transfer_queue_save         (PasTransferQueue *self);
/* The unfinished items, as queue.ini holds them. */
GBytes *pas_transfer_queue_snapshot     (PasTransferQueue *self);
/* Writes @data (consumed) unless a newer generation is on disk. Any thread. */
void    pas_transfer_queue_write_now    (Saver            *saver,
                                         guint64           generation,
                                         GBytes           *data);
Saver  *pas_transfer_queue_saver_new    (const char       *path);
void    pas_transfer_queue_saver_unref  (Saver            *saver);

G_END_DECLS
