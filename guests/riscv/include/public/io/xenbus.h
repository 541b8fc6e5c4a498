/*
 * io/xenbus.h — the states a front end and a back end publish in their `state` store node
 * (Xen's enum xenbus_state, same numbers, written as decimal strings). Each side moves through
 * them and watches the other's:
 *
 *   1 Initialising   just created; the toolstack writes both sides in this state
 *   2 InitWait       back end: ready for the front end's details
 *   3 Initialised    front end: rings granted, refs and event channel written
 *   4 Connected      both: data flows
 *   5 Closing        going away (either side)
 *   6 Closed         gone; a front end that comes back writes Initialising again
 */
#ifndef REHYPE_PUBLIC_IO_XENBUS_H
#define REHYPE_PUBLIC_IO_XENBUS_H

#define XenbusStateUnknown       0
#define XenbusStateInitialising  1
#define XenbusStateInitWait      2
#define XenbusStateInitialised   3
#define XenbusStateConnected     4
#define XenbusStateClosing       5
#define XenbusStateClosed        6

#endif /* REHYPE_PUBLIC_IO_XENBUS_H */
