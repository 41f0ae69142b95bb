// Where analytics documents live. Plain ids (a business day, a uid, a booking id) so the console reads well.
export const dailyPath = (day: string) => `analyticsDaily/${day}`;
export const activeUserPath = (day: string, uid: string) => `analyticsDaily/${day}/activeUsers/${uid}`;
export const DRIVER_DAYS = "driverDays";
export const driverDayPath = (day: string, uid: string) => `analyticsDaily/${day}/${DRIVER_DAYS}/${uid}`;
export const driverStatsPath = (uid: string) => `driverStats/${uid}`;
/** What analytics last counted for a booking (its contribution), so a recount applies only the difference. */
export const countedBookingPath = (bookingId: string) => `analyticsBookings/${bookingId}`;
export const ratingPath = (bookingId: string, raterUid: string) => `bookings/${bookingId}/ratings/${raterUid}`;
