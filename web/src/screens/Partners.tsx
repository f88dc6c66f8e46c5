import { Failure, Loading } from '../components/Status';
import { formatDate } from '../format';
import { WebPartnersDocument } from '../gql/graphql';
import { AGREEMENT_KIND, PARTNER_KIND, PARTNER_SERVICE } from '../labels';
import { useGraph } from '../useGraph';

export function PartnersScreen({ districtId }: { districtId: string }) {
  const { data, failure, loading } = useGraph(WebPartnersDocument, { districtId });
  if (failure) return <Failure>Les partenaires n’ont pas pu être chargés : {failure}</Failure>;
  if (!data) return loading ? <Loading what="des partenaires" /> : null;
  return (
    <>
      <h1>Partenaires</h1>
      <p className="muted">
        Régies de quartier, associations, centres sociaux : qui intervient dans le quartier, pour quoi, et sous quelle convention.
      </p>
      <ul className="cards">
        {data.partners.map((partner) => (
          <li key={partner.id} className="card">
            <h2>{partner.name}</h2>
            <p>
              {PARTNER_KIND[partner.kind]}
              {partner.cnlrqLabel && ' — labellisée CNLRQ'}
            </p>
            <p>
              <strong>Services :</strong> {partner.services.map((service) => PARTNER_SERVICE[service]).join(', ')}
            </p>
            {partner.agreements.length > 0 && (
              <>
                <h3>Conventions</h3>
                <ul>
                  {partner.agreements.map((agreement) => (
                    <li key={agreement.id}>
                      {AGREEMENT_KIND[agreement.kind]} avec {agreement.landlords.map((landlord) => landlord.name).join(', ')}, du{' '}
                      {formatDate(agreement.validFrom)}
                      {agreement.validTo ? ` au ${formatDate(agreement.validTo)}` : ', sans terme'} —{' '}
                      {agreement.services.map((service) => PARTNER_SERVICE[service]).join(', ')}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
