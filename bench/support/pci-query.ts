/** The partner contribution indicators page as the benchmarks send it (bench:insights, bench:ingest). */
export const PCI_QUERY = `query PartnerContributionIndicators {
  partnerContributionIndicators {
    asOf
    market
    marketSource
    baseline
    paths {
      path
      score
      indicators { key name value unit threshold points maxPoints note }
      history { month score }
      furthestFromThreshold { key name pointsToGain }
    }
  }
}`;
